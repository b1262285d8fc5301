import { describe, expect, it } from "vitest";
import type { PartnerId, Payload, SessionId, WrapupToken } from "../../../../shared/protocol/index.ts";
import {
  activeChat,
  type ChatsState,
  chatsReducer,
  findChat,
  frameDisposition,
  initialChats,
  openChatCount,
  pendingRead,
  totalUnread,
} from "../../../../console/src/state/chats.ts";

const A = "AAAAAAAAAAAAAAAAAAAAAA" as SessionId;
const B = "BBBBBBBBBBBBBBBBBBBBBB" as SessionId;
const partner = "drf" as PartnerId;

function assigned(state: ChatsState, sessionId: SessionId, epoch = 0): ChatsState {
  return chatsReducer(state, {
    type: "assigned",
    assigned: { sessionId, epoch, language: "ur", partner, waitedSeconds: 30 },
    at: 1000,
  });
}

function active(sessionId = A): ChatsState {
  const s = assigned(initialChats, sessionId);
  return chatsReducer(s, { type: "accepted", sessionId, epoch: 0, safetyCode: "12-34-56" });
}

/** The survivor's frame `seq` (chat A, epoch 0), opened: `payload`, received at `at`. */
const received = (seq: number, payload: Payload, at = 1, seen = true) =>
  ({ type: "received", sessionId: A, epoch: 0, seq, payload, at, seen }) as const;

const text = (seq: number, body: string, seen = false) =>
  received(seq, { type: "text", id: `s${seq}`, body }, 5000 + seq, seen);

describe("chats reducer", () => {
  it("an image the counselor sends: sending until its last part is sealed and acknowledged, or failed whole", () => {
    const image = { url: "blob:x/1", width: 10, height: 8 };
    let s = chatsReducer(active(), { type: "image-sending", sessionId: A, id: "i1", image, at: 7000 });
    // Acknowledgements of earlier frames (the header, the first chunks) do not deliver it.
    s = chatsReducer(s, { type: "acked", sessionId: A, epoch: 0, seq: 5 });
    expect(findChat(s, A)?.messages).toEqual([
      expect.objectContaining({ id: "i1", from: "counselor", body: "", status: "sending", image }),
    ]);
    s = chatsReducer(s, { type: "image-sealed", sessionId: A, id: "i1", seq: 9 });
    s = chatsReducer(s, { type: "acked", sessionId: A, epoch: 0, seq: 8 });
    expect(findChat(s, A)?.messages[0]?.status).toBe("sending");
    s = chatsReducer(s, { type: "acked", sessionId: A, epoch: 0, seq: 9 });
    expect(findChat(s, A)?.messages[0]).toMatchObject({ seq: 9, status: "delivered" });

    const failed = chatsReducer(
      chatsReducer(active(), { type: "image-sending", sessionId: A, id: "i2", image, at: 7000 }),
      { type: "image-send-failed", sessionId: A, id: "i2" },
    );
    expect(findChat(failed, A)?.messages[0]?.image).toEqual({ url: null, width: 10, height: 8 });
  });

  it("assigns, focuses the first chat and becomes active with the safety code", () => {
    const s = active();
    expect(s.activeId).toBe(A);
    expect(findChat(s, A)).toMatchObject({ phase: "active", safetyCode: "12-34-56", language: "ur" });
    expect(openChatCount(s)).toBe(1);
  });

  it("ignores an accept for another epoch", () => {
    const s = chatsReducer(assigned(initialChats, A, 1), {
      type: "accepted",
      sessionId: A,
      epoch: 0,
      safetyCode: "x",
    });
    expect(findChat(s, A)?.phase).toBe("connecting");
  });

  it("counts unread messages for chats not on screen and clears them on focus", () => {
    let s = assigned(active(A), B);
    s = chatsReducer(s, text(0, "hello"));
    s = chatsReducer(s, text(1, "are you there?"));
    expect(findChat(s, A)?.unread).toBe(2);
    expect(totalUnread(s)).toBe(2);
    s = chatsReducer(s, { type: "focus", sessionId: B });
    expect(activeChat(s)?.sessionId).toBe(B);
    s = chatsReducer(s, { type: "focus", sessionId: A });
    expect(findChat(s, A)?.unread).toBe(0);
  });

  it("opens only the next frame in order and classifies the rest", () => {
    let s = active();
    expect(frameDisposition(s, { sessionId: A, epoch: 0, seq: 0 })).toBe("open");
    expect(frameDisposition(s, { sessionId: A, epoch: 0, seq: 2 })).toBe("gap");
    expect(frameDisposition(s, { sessionId: A, epoch: 1, seq: 0 })).toBe("stale");
    expect(frameDisposition(s, { sessionId: B, epoch: 0, seq: 0 })).toBe("unknown");
    s = chatsReducer(s, text(0, "hi", true));
    expect(frameDisposition(s, { sessionId: A, epoch: 0, seq: 0 })).toBe("duplicate");
    // A duplicate dispatched anyway does not add a second message.
    expect(chatsReducer(s, text(0, "hi", true))).toBe(s);
  });

  it("tracks delivery and read receipts of the counselor's messages", () => {
    let s = active();
    s = chatsReducer(s, { type: "sent", sessionId: A, id: "c1", body: "I am here", seq: 0, at: 2000 });
    s = chatsReducer(s, { type: "sent", sessionId: A, id: "c2", body: "Take your time", seq: 1, at: 2001 });
    // Nothing shows "sent" before the relay says it took the frame.
    expect(findChat(s, A)?.messages.map((m) => m.status)).toEqual(["sending", "sending"]);
    s = chatsReducer(s, { type: "relayed", sessionId: A, epoch: 0, seq: 1 });
    expect(findChat(s, A)?.messages.map((m) => m.status)).toEqual(["sending", "sent"]);
    s = chatsReducer(s, { type: "acked", sessionId: A, epoch: 0, seq: 0 });
    expect(findChat(s, A)?.messages.map((m) => m.status)).toEqual(["delivered", "sent"]);
    // A late relay answer never takes a message back from delivered.
    s = chatsReducer(s, { type: "relayed", sessionId: A, epoch: 0, seq: 0 });
    expect(findChat(s, A)?.messages.map((m) => m.status)).toEqual(["delivered", "sent"]);
    s = chatsReducer(s, received(0, { type: "read", upTo: 1 }, 3000));
    expect(findChat(s, A)?.messages.map((m) => m.status)).toEqual(["read", "read"]);
  });

  it("reports what to mark read once, after the survivor's messages are on screen", () => {
    let s = chatsReducer(active(), text(0, "one", true));
    s = chatsReducer(s, text(1, "two", true));
    const chat = findChat(s, A);
    expect(chat && pendingRead(chat)).toBe(1);
    s = chatsReducer(s, { type: "read-sent", sessionId: A, upTo: 1 });
    const after = findChat(s, A);
    expect(after && pendingRead(after)).toBeNull();
  });

  it("keeps typing, nickname and for-whom from the survivor", () => {
    let s = active();
    s = chatsReducer(s, received(0, { type: "typing", active: true }));
    s = chatsReducer(s, received(1, { type: "nickname", value: "Sana" }));
    s = chatsReducer(s, received(2, { type: "for-whom", value: "self" }));
    expect(findChat(s, A)).toMatchObject({ survivorTyping: true, nickname: "Sana", forWhom: "self" });
  });

  it("wipes the conversation text when the chat ends, keeping what the wrap-up needs", () => {
    let s = chatsReducer(active(), text(0, "my cousin has my photos"));
    s = chatsReducer(s, { type: "sent", sessionId: A, id: "c1", body: "You are not alone", seq: 0, at: 2 });
    s = chatsReducer(s, { type: "ended", sessionId: A, reason: "visitor-left" });
    const chat = findChat(s, A);
    expect(chat).toMatchObject({
      phase: "wrap-up",
      messages: [],
      unread: 0,
      endReason: "visitor-left",
      partner,
      language: "ur",
    });
    expect(JSON.stringify(s)).not.toContain("photos");
    expect(JSON.stringify(s)).not.toContain("not alone");
    expect(openChatCount(s)).toBe(0);
  });

  it("keeps the relay's one-time wrap-up token, whichever ending message brings it", () => {
    const token = "T".repeat(43) as WrapupToken;
    // The counselor's own end: the wrap-up form shows first, the relay's token may come after.
    let s = chatsReducer(active(), { type: "ended", sessionId: A, reason: "counselor-ended" });
    expect(findChat(s, A)?.wrapupToken).toBeNull();
    s = chatsReducer(s, { type: "ended", sessionId: A, reason: "counselor-ended", wrapup: token });
    expect(findChat(s, A)).toMatchObject({
      phase: "wrap-up",
      wrapupToken: token,
      endReason: "counselor-ended",
    });
    // A later ending without one does not drop it.
    s = chatsReducer(s, { type: "ended", sessionId: A, reason: "expired" });
    expect(findChat(s, A)?.wrapupToken).toBe(token);
  });

  it("treats the survivor's end and quick exit as endings", () => {
    const ended = chatsReducer(active(), received(0, { type: "visitor-left" }));
    expect(findChat(ended, A)).toMatchObject({ phase: "wrap-up", endReason: "quick-exit" });
  });

  it("closes a chat and focuses another; wipe-all forgets everything", () => {
    let s = assigned(active(A), B);
    s = chatsReducer(s, { type: "closed", sessionId: A });
    expect(s.chats.map((c) => c.sessionId)).toEqual([B]);
    expect(s.activeId).toBe(B);
    expect(chatsReducer(s, { type: "wipe-all" })).toEqual(initialChats);
  });

  it("records an opened or unreadable handover note", () => {
    let s = chatsReducer(initialChats, {
      type: "assigned",
      assigned: {
        sessionId: A,
        epoch: 1,
        language: "en",
        partner,
        waitedSeconds: 0,
        transfer: { from: "x" as never, fromName: "Amina" },
      },
      at: 0,
    });
    s = chatsReducer(s, { type: "note-opened", sessionId: A, note: "FIA referral discussed" });
    expect(findChat(s, A)?.handover).toEqual({
      fromName: "Amina",
      note: "FIA referral discussed",
      unreadable: false,
    });
    s = chatsReducer(s, { type: "note-opened", sessionId: A, note: null });
    expect(findChat(s, A)?.handover?.unreadable).toBe(true);
  });

  it("shows when the survivor's connection drops and comes back", () => {
    let s = chatsReducer(active(), { type: "peer", sessionId: A, connected: false });
    expect(findChat(s, A)?.peerConnected).toBe(false);
    s = chatsReducer(s, { type: "peer", sessionId: A, connected: true });
    expect(findChat(s, A)?.peerConnected).toBe(true);
    expect(chatsReducer(s, { type: "peer", sessionId: A, connected: true })).toBe(s);
  });
});
