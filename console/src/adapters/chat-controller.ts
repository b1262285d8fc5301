import type { DirectoryEntry } from "../../../shared/protocol/http/index.ts";
import type { Assigned, Payload, SessionId, StaffStatus } from "../../../shared/protocol/index.ts";
import { FramePacer, type PacerClock } from "../../../shared/protocol/pacer.ts";
import type { CryptoClient } from "../crypto/crypto-client.ts";
import {
  type ChatsAction,
  type ChatsState,
  findChat,
  frameDisposition,
  pendingRead,
} from "../state/chats.ts";
import type { DeskAction } from "../state/desk.ts";
import type { ErrorCode } from "../state/errors.ts";
import type { NotifyEvent } from "../state/notify-policy.ts";
import type { Store } from "../state/store.ts";
import type { WellbeingAction, Wellbeing } from "../state/wellbeing.ts";
import type { Reply, StaffEvents, StaffTransport } from "./staff-socket.ts";
import { decodeBase64url } from "../crypto/base64url.ts";
import { createImageInbox } from "./image-inbox.ts";
import { createImageOutbox, type PreparedImage } from "./image-outbox.ts";

/**
 * Glue between the relay socket, the crypto worker and the pure stores: every relay event is
 * turned into worker calls and reducer actions, every counselor action into sealed frames.
 * Plaintext exists only in the chats store and the composer.
 */
export type ControllerDeps = Readonly<{
  transport: StaffTransport;
  crypto: CryptoClient;
  chats: Store<ChatsState, ChatsAction>;
  desk: Store<unknown, DeskAction>;
  wellbeing: Store<Wellbeing, WellbeingAction>;
  now: () => number;
  randomId: () => string;
  /** The chat on screen and the window visible. */
  isOnScreen: (sessionId: SessionId) => boolean;
  notify: (event: NotifyEvent) => void;
  /** Timers for the frame pacer (tests drive them). */
  clock?: PacerClock;
}>;

export type ChatController = ReturnType<typeof createChatController>;

export type ActionResult = { readonly ok: true } | { readonly ok: false; readonly error: ErrorCode };

export function createChatController(deps: ControllerDeps) {
  const { transport, crypto, chats } = deps;
  const images = createImageInbox(chats);
  // The stall timer starts with the first image part to arrive: a console that never receives
  // an image runs no timer for it.
  let stallCheck: ReturnType<typeof setInterval> | undefined;

  /**
   * One lane per chat: each relay event for a session starts when the one before it has
   * finished. Opening is asynchronous (the worker), and a frame judged while the previous one
   * is still being opened would look like a gap and be dropped, and with it every later frame.
   */
  const lanes = new Map<SessionId, Promise<unknown>>();
  const inOrder = <T>(sessionId: SessionId, work: () => Promise<T>): Promise<T> => {
    const result = (lanes.get(sessionId) ?? Promise.resolve()).then(work);
    const tail = result.catch(() => undefined);
    lanes.set(sessionId, tail);
    void tail.then(() => {
      if (lanes.get(sessionId) === tail) lanes.delete(sessionId);
    });
    return result;
  };

  /**
   * Every frame leaves through one pacer for the socket (shared/protocol/pacer.ts): at the pace
   * the relay accepts, only while connected, and after a `rate-limited` refusal only once a
   * back-off has passed.
   */
  let online = true;
  const pacer = new FramePacer({ canSend: () => online, ...(deps.clock ? { clock: deps.clock } : {}) });

  /**
   * The relay answered a frame of ours: taken (the message may now show "sent"), refused for
   * rate (tried again after a back-off, with every unacknowledged frame after it, since the
   * survivor's side takes frames only in order), or refused because it no longer knows this chat
   * for us (it restarted, or the chat timed out meanwhile).
   */
  const relayAnswered = (sessionId: SessionId, epoch: number, seq: number, reply: Reply) => {
    if (reply.ok) {
      chats.dispatch({ type: "relayed", sessionId, epoch, seq });
      return;
    }
    if (reply.error === "rate-limited") {
      pacer.refused();
      void resendUnacked(sessionId);
      return;
    }
    if (reply.error === "not-your-session" || reply.error === "unknown-session") void forgotten(sessionId);
  };

  /** Queues one sealed frame; it leaves when the pacer allows, if the chat is still at `epoch`. */
  const sendFrame = (sessionId: SessionId, epoch: number, seq: number, ciphertext: Uint8Array) => {
    pacer.send(
      `${sessionId}:${epoch}:${seq}`,
      () => {
        const chat = findChat(chats.getState(), sessionId);
        if (!chat || chat.epoch !== epoch || (chat.phase !== "active" && chat.phase !== "connecting"))
          return false;
        void transport
          .frame({ sessionId, epoch, seq, ciphertext })
          .then((reply) => relayAnswered(sessionId, epoch, seq, reply));
        return true;
      },
      seq,
    );
  };

  /** Every frame of this chat the survivor has not acknowledged, in order (none: false). */
  const resendUnacked = async (sessionId: SessionId): Promise<boolean> => {
    const chat = findChat(chats.getState(), sessionId);
    if (chat?.phase !== "active") return false;
    const unacked = await crypto.call({ type: "unacked", sessionId });
    if (!unacked.ok) return false;
    for (const f of unacked.value.frames) sendFrame(sessionId, chat.epoch, f.seq, f.ciphertext);
    return unacked.value.frames.length > 0;
  };

  /** `sealed` runs before the frame leaves, so the relay's answer always finds the message. */
  const sendPayload = async (
    sessionId: SessionId,
    payload: Payload,
    final = false,
    sealedAs: (seq: number) => void = () => {},
  ) => {
    const chat = findChat(chats.getState(), sessionId);
    if (!chat) return null;
    const sealed = await crypto.call({ type: "seal", sessionId, payload, final });
    if (!sealed.ok) return null;
    const { seq } = sealed.value;
    sealedAs(seq);
    sendFrame(sessionId, chat.epoch, seq, sealed.value.ciphertext);
    return seq;
  };

  /**
   * A chat the relay no longer knows: ended, as the survivor's side was told or will see. With
   * `handovers`, one this console is handing over (or was told the handover fell through) too:
   * after a login lost to a restart no `ended` ever comes for it, and it showed "Handing over"
   * (or offered "Take it back", which could only fail) beside "Your open chats ended".
   */
  const forgotten = (sessionId: SessionId, handovers = false) =>
    inOrder(sessionId, async () => {
      const chat = findChat(chats.getState(), sessionId);
      const handover = chat?.phase === "handing-over" || chat?.phase === "handover-failed";
      if (chat?.phase !== "active" && chat?.phase !== "connecting" && !(handovers && handover)) return;
      await wipe(sessionId);
      chats.dispatch({ type: "ended", sessionId, reason: "server-shutdown" });
    });

  /**
   * `ended` for a chat this console does not hold (yet): with several relay nodes, the node that
   * ended a chat as it was assigned on another may be heard before the assignment. Kept for the
   * `assigned` that follows (a few, the newest).
   */
  const endedEarly = new Map<SessionId, StaffEvents["ended"]>();

  const assigned = async (a: Assigned) => {
    const { survivorKey, ...meta } = a;
    chats.dispatch({ type: "assigned", assigned: meta, at: deps.now() });
    deps.notify({ type: "assigned", transfer: a.transfer !== undefined });
    const early = endedEarly.get(a.sessionId);
    if (early) {
      endedEarly.delete(a.sessionId);
      const { sessionId, reason, wrapup } = early;
      chats.dispatch({ type: "ended", sessionId, reason, ...(wrapup ? { wrapup } : {}) });
      return;
    }
    const accepted = await crypto.call({
      type: "accept",
      sessionId: a.sessionId,
      epoch: a.epoch,
      survivorKey,
    });
    if (!accepted.ok) {
      chats.dispatch({ type: "accept-failed", sessionId: a.sessionId });
      return;
    }
    const reply = await transport.accept(a.sessionId, a.epoch, accepted.value.handshake);
    if (!reply.ok) {
      await crypto.call({ type: "wipe-session", sessionId: a.sessionId });
      // The relay no longer knows the chat: it ended (the relay is the one that knows), not a
      // failed handshake. Its `ended`, if it comes, gives the reason and the wrap-up token.
      chats.dispatch(
        reply.error === "unknown-session"
          ? { type: "ended", sessionId: a.sessionId, reason: "gone" }
          : { type: "accept-failed", sessionId: a.sessionId },
      );
      return;
    }
    chats.dispatch({
      type: "accepted",
      sessionId: a.sessionId,
      epoch: a.epoch,
      safetyCode: accepted.value.safetyCode,
    });
    const note = a.transfer?.note;
    if (note) {
      const opened = await crypto.call({
        type: "open-note",
        sessionId: a.sessionId,
        sealed: note,
        nowMs: deps.now(),
      });
      chats.dispatch(
        opened.ok
          ? {
              type: "note-opened",
              sessionId: a.sessionId,
              note: opened.value.text === "" ? null : opened.value.text,
              transcript: opened.value.transcript,
            }
          : { type: "note-opened", sessionId: a.sessionId, note: null },
      );
    }
  };

  const outbox = createImageOutbox({
    chats,
    send: (sessionId, part, sealedAs) => sendPayload(sessionId, part, false, sealedAs),
    hold: images.hold,
    now: deps.now,
    randomId: deps.randomId,
  });

  const wipe = async (sessionId: SessionId) => {
    images.drop(sessionId);
    outbox.drop(sessionId);
    await crypto.call({ type: "wipe-session", sessionId });
  };

  transport.on("queue", (q) => deps.desk.dispatch({ type: "queue", entries: q.entries, at: deps.now() }));
  transport.on("load", (load) => deps.desk.dispatch({ type: "load", load, at: deps.now() }));
  transport.on("assigned", (a) => void inOrder(a.sessionId, () => assigned(a)));
  const onFrame = async (frame: StaffEvents["frame"]) => {
    const disposition = frameDisposition(chats.getState(), frame);
    if (disposition === "duplicate")
      transport.ack({ sessionId: frame.sessionId, epoch: frame.epoch, seq: frame.seq });
    if (disposition !== "open") return;
    const opened = await crypto.call({ type: "open", ...frame });
    if (!opened.ok) {
      if (opened.error === "duplicate")
        transport.ack({ sessionId: frame.sessionId, epoch: frame.epoch, seq: frame.seq });
      return;
    }
    const { payload } = opened.value;
    const seen = deps.isOnScreen(frame.sessionId);
    chats.dispatch({
      type: "received",
      sessionId: frame.sessionId,
      epoch: frame.epoch,
      seq: frame.seq,
      payload,
      at: deps.now(),
      seen,
    });
    transport.ack({ sessionId: frame.sessionId, epoch: frame.epoch, seq: frame.seq });
    if (payload.type === "image" || payload.type === "image-chunk") {
      stallCheck ??= setInterval(() => images.check(deps.now()), 10_000);
      images.accept(frame.sessionId, payload, deps.now(), seen);
    }
    if (payload.type === "text") deps.notify({ type: "message", onScreen: seen });
    if (payload.type === "end" || payload.type === "visitor-left" || opened.value.final) {
      deps.notify({ type: "visitor-left" });
      await wipe(frame.sessionId);
    }
  };
  transport.on("frame", (frame) => void inOrder(frame.sessionId, () => onFrame(frame)));
  transport.on("handover-failed", (failed) =>
    chats.dispatch({ type: "handover-failed", sessionId: failed.sessionId, reason: failed.reason }),
  );
  transport.on("peer", (peer) => {
    chats.dispatch({ type: "peer", sessionId: peer.sessionId, connected: peer.connected });
    // The survivor is back (resumed, perhaps on another node): what they have not acknowledged
    // was refused (`peer-offline`) or lost with their old connection; it goes again.
    if (peer.connected) void inOrder(peer.sessionId, () => resendUnacked(peer.sessionId));
  });
  transport.on("ack", (ack) =>
    inOrder(ack.sessionId, async () => {
      await crypto.call({ type: "ack", sessionId: ack.sessionId, seq: ack.seq });
      outbox.acked(ack.sessionId, ack.seq);
      chats.dispatch({ type: "acked", ...ack });
    }),
  );
  transport.on("ended", (ended) =>
    inOrder(ended.sessionId, async () => {
      if (!findChat(chats.getState(), ended.sessionId)) {
        // A handover's end says nothing about a chat that may yet be handed back to this console.
        if (ended.reason !== "transferred") endedEarly.set(ended.sessionId, ended);
        for (const id of endedEarly.keys()) if (endedEarly.size > 8) endedEarly.delete(id);
        return;
      }
      await wipe(ended.sessionId);
      if (ended.reason === "transferred") chats.dispatch({ type: "closed", sessionId: ended.sessionId });
      else
        chats.dispatch({
          type: "ended",
          sessionId: ended.sessionId,
          reason: ended.reason,
          ...(ended.wrapup ? { wrapup: ended.wrapup } : {}),
        });
    }),
  );
  const applyWantedStatus = async () => {
    const { wanted } = deps.wellbeing.getState();
    const reply = await transport.status(wanted);
    if (reply.ok) deps.wellbeing.dispatch({ type: "status-confirmed", status: wanted });
  };

  transport.onConnection(async (connected, recovered) => {
    deps.desk.dispatch({ type: "connection", connected });
    online = connected;
    if (!connected) return;
    // A new socket: the relay's bucket for it is full again.
    pacer.reset();
    // A status chosen while the connection was down (or before a re-login) applies now. A new
    // page always says what it shows (Away unless a re-login restores a choice): the relay kept
    // the status another page of this counselor had set, and the two disagreed.
    if (!recovered) {
      await applyWantedStatus();
      return;
    }
    // If the relay kept our chats through the grace period, frames the survivor never acked go
    // again; a chat with nothing to resend is asked about with a "not typing" frame. A relay that
    // restarted refuses both, and the chat is marked ended instead of sitting open for ever.
    for (const chat of chats.getState().chats) {
      if (chat.phase !== "active") continue;
      if (!(await resendUnacked(chat.sessionId)))
        await sendPayload(chat.sessionId, { type: "typing", active: false });
    }
    await applyWantedStatus();
  });
  transport.onLoginLost(() => {
    deps.desk.dispatch({ type: "login-lost" });
    deps.wellbeing.dispatch({ type: "status-lost" });
    for (const chat of chats.getState().chats) void forgotten(chat.sessionId, true);
  });
  // The live chats went on to the newer page (each with a fresh handshake, its wrap-up there):
  // this page lets go of them without an ending of its own. A chat that ended here keeps its
  // wrap-up form (its token is this page's alone), and a failed one its notice.
  transport.onReplaced(() => {
    deps.desk.dispatch({ type: "replaced" });
    deps.wellbeing.dispatch({ type: "status-lost" });
    for (const chat of chats.getState().chats)
      if (chat.phase !== "wrap-up" && chat.phase !== "failed")
        void inOrder(chat.sessionId, async () => {
          await wipe(chat.sessionId);
          chats.dispatch({ type: "closed", sessionId: chat.sessionId });
        });
  });

  return {
    /** Stops the image timer and releases every image (the console is going away). */
    dispose: () => {
      if (stallCheck !== undefined) clearInterval(stallCheck);
      outbox.dispose();
      images.dispose();
    },
    takeNext: async (sessionId?: SessionId): Promise<ActionResult> => {
      const reply = await transport.take(sessionId);
      if (!reply.ok) return reply;
      await inOrder(reply.assigned.sessionId, () => assigned(reply.assigned));
      return { ok: true };
    },
    /** Supervisors: how many silent waiting chats were ended, or why not. */
    clearSilent: () => transport.clearSilent(),
    setStatus: async (status: StaffStatus): Promise<ActionResult> => {
      deps.wellbeing.dispatch({ type: "status-wanted", status });
      const reply = await transport.status(status);
      if (reply.ok) deps.wellbeing.dispatch({ type: "status-confirmed", status });
      return reply;
    },
    send: async (sessionId: SessionId, body: string): Promise<ActionResult> => {
      const id = deps.randomId();
      const seq = await sendPayload(sessionId, { type: "text", id, body }, false, (sealedSeq) =>
        chats.dispatch({ type: "sent", sessionId, id, body, seq: sealedSeq, at: deps.now() }),
      );
      return seq === null ? { ok: false, error: "crypto-failed" } : { ok: true };
    },
    /** An image prepared by the composer (re-encoded, no metadata); null once it is on its way. */
    sendImage: (sessionId: SessionId, image: PreparedImage) => outbox.send(sessionId, image),
    typing: async (sessionId: SessionId, active: boolean) => {
      await sendPayload(sessionId, { type: "typing", active });
    },
    /** Tells the survivor what the counselor has seen (called when the chat is on screen). */
    markRead: async (sessionId: SessionId) => {
      const chat = findChat(chats.getState(), sessionId);
      const upTo = chat ? pendingRead(chat) : null;
      if (upTo === null) return;
      chats.dispatch({ type: "read-sent", sessionId, upTo });
      await sendPayload(sessionId, { type: "read", upTo });
    },
    end: async (sessionId: SessionId) => {
      await sendPayload(sessionId, { type: "end" }, true);
      const left = await transport.leave(sessionId);
      await wipe(sessionId);
      const wrapup = left.ok ? left.wrapup : undefined;
      chats.dispatch({ type: "ended", sessionId, reason: "counselor-ended", ...(wrapup ? { wrapup } : {}) });
    },
    /**
     * Seals the note and the conversation so far to the colleague and asks the relay to hand the
     * chat over. A refusal changes nothing (the chat stays active). Once the relay takes it, the
     * old epoch is dead, so its channel goes; the chat (and its draft) stays on screen until the
     * colleague's handshake is confirmed (`ended: transferred`) or the handover falls through.
     */
    transfer: async (sessionId: SessionId, to: DirectoryEntry, note: string): Promise<ActionResult> => {
      const chat = findChat(chats.getState(), sessionId);
      if (chat?.phase !== "active") return { ok: false, error: "bad-state" };
      const key = decodeBase64url(to.identityPublicKey);
      if (!key.ok) return { ok: false, error: "bad-response" };
      const sealed = await crypto.call({
        type: "seal-note",
        sessionId,
        recipientPublicKey: key.value,
        text: note.trim(),
        // Images stay with this console (PROTOCOL.md "Attachments"): the colleague gets the text.
        transcript: chat.messages
          .filter((m) => m.image === undefined)
          .map((m) => ({ from: m.from, body: m.body, at: m.at })),
      });
      if (!sealed.ok) return { ok: false, error: "crypto-failed" };
      const reply = await transport.transfer(sessionId, to.id, sealed.value.sealed);
      if (!reply.ok) return reply;
      await wipe(sessionId);
      chats.dispatch({ type: "handover-started", sessionId, toName: to.displayName });
      return { ok: true };
    },
    /** After `handover-failed`: take the chat back (a fresh handshake) or put it in the queue. */
    reclaim: async (sessionId: SessionId, to: "me" | "queue"): Promise<ActionResult> => {
      const reply = await transport.reclaim(sessionId, to);
      if (!reply.ok) return reply;
      if (to === "queue") chats.dispatch({ type: "closed", sessionId });
      return { ok: true };
    },
    /** After the wrap-up form (or dismissing a failed chat). */
    close: (sessionId: SessionId) => chats.dispatch({ type: "closed", sessionId }),
  };
}
