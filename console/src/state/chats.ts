import type {
  Assigned,
  Frame,
  HandoverLine,
  Language,
  PartnerId,
  Payload,
  SessionId,
  STAFF_END_REASONS,
  TransferRefusal,
  WrapupToken,
} from "../../../shared/protocol/index.ts";

/**
 * The counselor's open chats: a pure reducer. Chat text lives only here, in memory, and is
 * dropped the moment a chat ends (before the wrap-up form), so nothing of a conversation outlives
 * it in the console. Adapters (socket, crypto worker) dispatch actions; time is passed in.
 */

/**
 * `gone`: the relay no longer knew the chat when this console accepted it (it ended as it was
 * assigned, and its `ended` has not come); replaced by the relay's reason if that comes later.
 */
export type EndReason = (typeof STAFF_END_REASONS)[number] | "counselor-ended" | "transfer-failed" | "gone";

/**
 * `sending` until the relay answers that it took the frame: a message is never shown as sent on
 * the strength of having been handed to a socket (which buffers while the server is away).
 */
export type MessageStatus = "sending" | "sent" | "delivered" | "read";

export type ChatMessage = Readonly<{
  id: string;
  from: "counselor" | "survivor";
  body: string;
  at: number;
  /** Frame sequence number in the sender's direction (of this chat's current epoch). */
  seq: number;
  /** -1 for the conversation before a handover (it came inside the sealed handover). */
  epoch: number;
  status: MessageStatus;
  /**
   * An image (then `body` is empty): an object URL over bytes held only in memory, revoked when
   * the message leaves this state (chat ended, console locked). `url` null: the image failed.
   */
  image?: Readonly<{ url: string | null; width: number; height: number }>;
}>;

/**
 * handing-over  the relay took the transfer; the chat (and its draft) stays on screen, read-only,
 *               until the colleague's handshake is confirmed (`ended: transferred`).
 * handover-failed the colleague dropped before that: the counselor takes it back or queues it.
 */
export type ChatPhase = "connecting" | "active" | "handing-over" | "handover-failed" | "wrap-up" | "failed";

export type Outgoing = Readonly<{ toName: string; failure: TransferRefusal | null }>;

export type Handover = Readonly<{ fromName: string; note: string | null; unreadable: boolean }>;

export type Chat = Readonly<{
  sessionId: SessionId;
  epoch: number;
  language: Language;
  partner: PartnerId;
  waitedSeconds: number;
  assignedAt: number;
  phase: ChatPhase;
  safetyCode: string | null;
  messages: readonly ChatMessage[];
  unread: number;
  survivorTyping: boolean;
  forWhom: "self" | "someone-else" | null;
  nickname: string | null;
  /** Next survivor frame sequence number we can open; lower ones are duplicates. */
  nextRecvSeq: number;
  /** Highest survivor seq we told them we read (-1: none). */
  readSent: number;
  handover: Handover | null;
  /** A handover this counselor started, while it is under way or after it fell through. */
  outgoing: Outgoing | null;
  endReason: EndReason | null;
  /** The relay's one-time token for this chat's wrap-up (set when it ends; null if none came). */
  wrapupToken: WrapupToken | null;
  /** False while the survivor's connection is down (the relay keeps the chat for a grace period). */
  peerConnected: boolean;
}>;

export type ChatsState = Readonly<{ chats: readonly Chat[]; activeId: SessionId | null }>;

export const initialChats: ChatsState = { chats: [], activeId: null };

export type ChatsAction =
  | Readonly<{ type: "assigned"; assigned: Omit<Assigned, "survivorKey">; at: number }>
  | Readonly<{ type: "accepted"; sessionId: SessionId; epoch: number; safetyCode: string }>
  | Readonly<{ type: "accept-failed"; sessionId: SessionId }>
  | Readonly<{
      type: "note-opened";
      sessionId: SessionId;
      note: string | null;
      transcript?: readonly HandoverLine[];
    }>
  | Readonly<{ type: "handover-started"; sessionId: SessionId; toName: string }>
  | Readonly<{ type: "handover-failed"; sessionId: SessionId; reason: TransferRefusal }>
  | Readonly<{ type: "sent"; sessionId: SessionId; id: string; body: string; seq: number; at: number }>
  | Readonly<{ type: "acked"; sessionId: SessionId; epoch: number; seq: number }>
  | Readonly<{ type: "relayed"; sessionId: SessionId; epoch: number; seq: number }>
  | Readonly<{
      type: "received";
      sessionId: SessionId;
      epoch: number;
      seq: number;
      payload: Payload;
      at: number;
      /** The chat is on screen and the window visible: the message counts as seen. */
      seen: boolean;
    }>
  | Readonly<{ type: "read-sent"; sessionId: SessionId; upTo: number }>
  /** An image from the survivor, reassembled and checked (adapters/image-inbox.ts), or failed. */
  | Readonly<{
      type: "image-received";
      sessionId: SessionId;
      id: string;
      image: Readonly<{ url: string | null; width: number; height: number }>;
      at: number;
      seen: boolean;
    }>
  /**
   * An image the counselor sends (adapters/chat-controller.ts paces its parts): shown at once,
   * `sending` until its last part is sealed and the relay takes it; its seq is that last part's.
   */
  | Readonly<{
      type: "image-sending";
      sessionId: SessionId;
      id: string;
      image: Readonly<{ url: string; width: number; height: number }>;
      at: number;
    }>
  | Readonly<{ type: "image-sealed"; sessionId: SessionId; id: string; seq: number }>
  /** The chat's channel went before every part was sent: the image failed whole. */
  | Readonly<{ type: "image-send-failed"; sessionId: SessionId; id: string }>
  | Readonly<{ type: "focus"; sessionId: SessionId }>
  | Readonly<{ type: "peer"; sessionId: SessionId; connected: boolean }>
  | Readonly<{ type: "ended"; sessionId: SessionId; reason: EndReason; wrapup?: WrapupToken }>
  | Readonly<{ type: "closed"; sessionId: SessionId }>
  | Readonly<{ type: "wipe-all" }>;

export type FrameDisposition = "open" | "duplicate" | "gap" | "stale" | "unknown";

/**
 * Decides, before decrypting, what to do with an incoming frame. Duplicates (resent after a
 * reconnect) are dropped unopened but still acknowledged; a gap cannot be opened because the
 * stream is ordered, so it is dropped and the survivor resends after reconnecting.
 */
export function frameDisposition(
  state: ChatsState,
  frame: Pick<Frame, "sessionId" | "epoch" | "seq">,
): FrameDisposition {
  const chat = findChat(state, frame.sessionId);
  if (chat?.phase !== "active") return "unknown";
  if (frame.epoch !== chat.epoch) return "stale";
  if (frame.seq < chat.nextRecvSeq) return "duplicate";
  if (frame.seq > chat.nextRecvSeq) return "gap";
  return "open";
}

export function findChat(state: ChatsState, id: SessionId): Chat | undefined {
  return state.chats.find((c) => c.sessionId === id);
}

export function activeChat(state: ChatsState): Chat | undefined {
  return state.activeId ? findChat(state, state.activeId) : undefined;
}

/** Chats that count against the counselor's limit (wrap-up forms do not: the survivor is gone). */
export function openChatCount(state: ChatsState): number {
  return state.chats.filter((c) => c.phase === "connecting" || c.phase === "active").length;
}

export function totalUnread(state: ChatsState): number {
  return state.chats.reduce((sum, c) => sum + c.unread, 0);
}

/** The survivor seq to report as read, or null when there is nothing new to report. */
export function pendingRead(chat: Chat): number | null {
  const last = chat.nextRecvSeq - 1;
  return chat.phase === "active" && last > chat.readSent ? last : null;
}

function update(state: ChatsState, id: SessionId, fn: (chat: Chat) => Chat): ChatsState {
  const chat = findChat(state, id);
  if (!chat) return state;
  const next = fn(chat);
  return next === chat ? state : { ...state, chats: state.chats.map((c) => (c === chat ? next : c)) };
}

/** Appends the counselor's own outgoing message (text or image) to an active chat. */
function sending(chat: Chat, message: Pick<ChatMessage, "id" | "body" | "at" | "seq" | "image">): Chat {
  if (chat.phase !== "active") return chat;
  const outgoing: ChatMessage = { ...message, from: "counselor", epoch: chat.epoch, status: "sending" };
  return { ...chat, messages: [...chat.messages, outgoing] };
}

function receive(chat: Chat, action: Extract<ChatsAction, { type: "received" }>): Chat {
  if (chat.phase !== "active" || action.epoch !== chat.epoch || action.seq !== chat.nextRecvSeq) return chat;
  const next = { ...chat, nextRecvSeq: chat.nextRecvSeq + 1 };
  const payload = action.payload;
  switch (payload.type) {
    case "text":
      return {
        ...next,
        survivorTyping: false,
        unread: action.seen ? 0 : chat.unread + 1,
        messages: [
          ...chat.messages,
          {
            id: payload.id,
            from: "survivor",
            body: payload.body,
            at: action.at,
            seq: action.seq,
            epoch: action.epoch,
            status: "delivered",
          },
        ],
      };
    case "typing":
      return { ...next, survivorTyping: payload.active };
    case "read":
      return {
        ...next,
        messages: chat.messages.map((m) =>
          m.from === "counselor" && m.epoch === chat.epoch && m.seq <= payload.upTo
            ? { ...m, status: "read" }
            : m,
        ),
      };
    case "for-whom":
      return { ...next, forWhom: payload.value };
    case "nickname":
      return { ...next, nickname: payload.value.trim() === "" ? null : payload.value };
    case "end":
      return wipe({ ...next, endReason: "visitor-left" });
    case "visitor-left":
      return wipe({ ...next, endReason: "quick-exit" });
    case "handover-note":
      // Notes travel only inside the sealed handover box, never on the survivor's stream.
      return next;
    // Reassembled by the controller (adapters/image-inbox.ts), which adds the finished image.
    case "image":
    case "image-chunk":
      return next;
    default: {
      const never: never = payload;
      return never;
    }
  }
}

/** Ends a chat: the text goes, the metadata the wrap-up form needs stays. */
function wipe(chat: Chat): Chat {
  return {
    ...chat,
    phase: "wrap-up",
    messages: [],
    survivorTyping: false,
    unread: 0,
    handover: null,
    outgoing: null,
  };
}

/** The conversation before a handover, as messages that belong to no epoch of this console. */
function earlier(lines: readonly HandoverLine[]): ChatMessage[] {
  return lines.map((l, i) => ({
    id: `earlier-${i}`,
    from: l.from,
    body: l.body,
    at: l.at,
    seq: -1,
    epoch: -1,
    status: "delivered",
  }));
}

export function chatsReducer(state: ChatsState, action: ChatsAction): ChatsState {
  switch (action.type) {
    case "assigned": {
      const a = action.assigned;
      const existing = findChat(state, a.sessionId);
      // Taken back after a failed handover: same conversation, a fresh handshake.
      if (existing?.phase === "handover-failed" || existing?.phase === "handing-over") {
        return update(state, a.sessionId, (c) => ({
          ...c,
          epoch: a.epoch,
          phase: "connecting",
          safetyCode: null,
          nextRecvSeq: 0,
          readSent: -1,
          outgoing: null,
          survivorTyping: false,
        }));
      }
      if (existing && existing.phase !== "wrap-up") return state;
      const chat: Chat = {
        sessionId: a.sessionId,
        epoch: a.epoch,
        language: a.language,
        partner: a.partner,
        waitedSeconds: a.waitedSeconds,
        assignedAt: action.at,
        phase: "connecting",
        safetyCode: null,
        messages: [],
        unread: 0,
        survivorTyping: false,
        forWhom: null,
        nickname: null,
        nextRecvSeq: 0,
        readSent: -1,
        handover: a.transfer ? { fromName: a.transfer.fromName, note: null, unreadable: false } : null,
        outgoing: null,
        endReason: null,
        wrapupToken: null,
        peerConnected: true,
      };
      const chats = [...state.chats.filter((c) => c.sessionId !== a.sessionId), chat];
      return { chats, activeId: state.activeId ?? a.sessionId };
    }
    case "accepted":
      return update(state, action.sessionId, (c) =>
        c.phase === "connecting" && c.epoch === action.epoch
          ? { ...c, phase: "active", safetyCode: action.safetyCode }
          : c,
      );
    case "accept-failed":
      return update(state, action.sessionId, (c) => ({ ...wipe(c), phase: "failed" }));
    case "note-opened":
      return update(state, action.sessionId, (c) =>
        c.handover
          ? {
              ...c,
              handover: { ...c.handover, note: action.note, unreadable: action.note === null },
              messages: [...earlier(action.transcript ?? []), ...c.messages],
            }
          : c,
      );
    case "handover-started":
      return update(state, action.sessionId, (c) =>
        c.phase === "active"
          ? {
              ...c,
              phase: "handing-over",
              survivorTyping: false,
              outgoing: { toName: action.toName, failure: null },
            }
          : c,
      );
    case "handover-failed":
      return update(state, action.sessionId, (c) =>
        c.outgoing
          ? { ...c, phase: "handover-failed", outgoing: { ...c.outgoing, failure: action.reason } }
          : c,
      );
    case "sent":
      return update(state, action.sessionId, (c) =>
        sending(c, { id: action.id, body: action.body, at: action.at, seq: action.seq }),
      );
    case "acked":
      return update(state, action.sessionId, (c) => ({
        ...c,
        messages: c.messages.map((m) =>
          m.from === "counselor" &&
          (m.status === "sending" || m.status === "sent") &&
          m.epoch === action.epoch &&
          m.seq <= action.seq
            ? { ...m, status: "delivered" }
            : m,
        ),
      }));
    case "relayed":
      return update(state, action.sessionId, (c) => ({
        ...c,
        messages: c.messages.map((m) =>
          m.from === "counselor" && m.status === "sending" && m.epoch === action.epoch && m.seq === action.seq
            ? { ...m, status: "sent" }
            : m,
        ),
      }));
    case "received":
      return update(state, action.sessionId, (c) => receive(c, action));
    case "read-sent":
      return update(state, action.sessionId, (c) => ({ ...c, readSent: Math.max(c.readSent, action.upTo) }));
    case "focus":
      return findChat(state, action.sessionId)
        ? update({ ...state, activeId: action.sessionId }, action.sessionId, (c) => ({ ...c, unread: 0 }))
        : state;
    case "peer":
      return update(state, action.sessionId, (c) =>
        c.peerConnected === action.connected ? c : { ...c, peerConnected: action.connected },
      );
    case "ended":
      return update(state, action.sessionId, (c) => {
        const wrapupToken = c.wrapupToken ?? action.wrapup ?? null;
        return c.phase === "wrap-up"
          ? { ...c, wrapupToken, endReason: c.endReason === "gone" ? action.reason : c.endReason }
          : { ...wipe(c), endReason: c.endReason ?? action.reason, wrapupToken };
      });
    case "closed": {
      const chats = state.chats.filter((c) => c.sessionId !== action.sessionId);
      const activeId =
        state.activeId === action.sessionId ? (chats[chats.length - 1]?.sessionId ?? null) : state.activeId;
      return { chats, activeId };
    }
    case "image-received":
      return update(state, action.sessionId, (chat) =>
        chat.phase !== "active" || chat.messages.some((m) => m.id === action.id)
          ? chat
          : {
              ...chat,
              unread: action.seen ? 0 : chat.unread + 1,
              messages: [
                ...chat.messages,
                {
                  id: action.id,
                  from: "survivor",
                  body: "",
                  at: action.at,
                  seq: chat.nextRecvSeq - 1,
                  epoch: chat.epoch,
                  status: "delivered",
                  image: action.image,
                },
              ],
            },
      );
    case "image-sending":
      return update(state, action.sessionId, (c) =>
        // No frame acknowledges it until the last part has a number (image-sealed).
        sending(c, {
          id: action.id,
          body: "",
          at: action.at,
          seq: Number.MAX_SAFE_INTEGER,
          image: action.image,
        }),
      );
    case "image-sealed":
    case "image-send-failed":
      return update(state, action.sessionId, (c) => ({
        ...c,
        messages: c.messages.map((m) =>
          m.id !== action.id || m.from !== "counselor" || !m.image
            ? m
            : action.type === "image-sealed"
              ? { ...m, seq: action.seq }
              : { ...m, image: { ...m.image, url: null } },
        ),
      }));
    case "wipe-all":
      return initialChats;
    default: {
      const never: never = action;
      return never;
    }
  }
}
