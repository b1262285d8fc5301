import type { Socket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Assigned, Reply, StaffId, Transferring } from "../../shared/protocol/index.ts";
import {
  collect,
  connectStaff,
  joinAsSurvivor,
  next,
  opaque,
  request,
  staffClient,
} from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

let h: Harness;
const sockets: { close: () => void }[] = [];
const track = <T extends { close: () => void }>(s: T) => {
  sockets.push(s);
  return s;
};
const settle = () => new Promise((r) => setTimeout(r, 50));

beforeEach(async () => {
  h = await startRelay();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h.close();
});

/** A survivor in an active chat with `staff`. */
async function activeChat(staffSocket: Socket) {
  const s = await joinAsSurvivor(h.url);
  track(s.socket);
  const taken = await request<Reply<{ assigned: Assigned }>>(staffSocket, "take", {});
  if (!taken.ok) throw new Error(taken.error);
  const sessionId = s.queued.sessionId;
  expect(await request(staffSocket, "accept", { sessionId, epoch: 0, handshake: opaque(100) })).toEqual({
    ok: true,
  });
  return { ...s, sessionId };
}

describe("relay authorization", () => {
  it("refuses the staff namespace without a valid login cookie", async () => {
    for (const cookie of [undefined, "sid=forged", "other=1"]) {
      const socket = track(staffClient(h.url, cookie));
      const error = await next<Error>(socket, "connect_error");
      expect(error.message).toBe("unauthenticated");
    }
    expect(h.relay.counts().staff).toBe(0);
  });

  it("keeps a survivor to its own session", async () => {
    const a = track(await connectStaff(h.url, h.addStaff(principal("alice")), "away")) as Socket;
    const mine = await activeChat(a);
    const other = await activeChat(a);
    const leaked = collect(a, "frame");
    // Frames, acks, transfer keys and leave naming another session do nothing to it.
    expect(
      await request(mine.socket as Socket, "frame", {
        sessionId: other.sessionId,
        epoch: 0,
        seq: 0,
        ciphertext: opaque(9),
      }),
    ).toEqual({ ok: false, error: "not-your-session" });
    mine.socket.emit("ack", { sessionId: other.sessionId, epoch: 0, seq: 0 });
    expect(
      await request(mine.socket as Socket, "transfer-key", {
        sessionId: other.sessionId,
        survivorKey: opaque(32),
      }),
    ).toEqual({ ok: false, error: "not-your-session" });
    mine.socket.emit("leave", { sessionId: other.sessionId, reason: "quick-exit" });
    await settle();
    expect(leaked).toEqual([]);
    expect((await h.store.getSession(other.sessionId))?.state).toBe("active");
  });

  it("keeps a counselor to the sessions assigned to them", async () => {
    const a = track(await connectStaff(h.url, h.addStaff(principal("alice")), "away")) as Socket;
    const m = track(await connectStaff(h.url, h.addStaff(principal("mallory")), "away")) as Socket;
    const chat = await activeChat(a);
    const seen = collect(chat.socket, "frame");
    const { sessionId } = chat;
    expect(await request(m, "frame", { sessionId, epoch: 0, seq: 0, ciphertext: opaque(9) })).toEqual({
      ok: false,
      error: "not-your-session",
    });
    expect(await request(m, "accept", { sessionId, epoch: 0, handshake: opaque(9) })).toEqual({
      ok: false,
      error: "not-your-session",
    });
    expect(await request(m, "transfer", { sessionId, to: "mallory" })).toEqual({
      ok: false,
      error: "not-your-session",
    });
    expect(await request(m, "leave", { sessionId, reason: "ended" })).toEqual({
      ok: false,
      error: "not-your-session",
    });
    expect(await request(m, "take", { sessionId })).toEqual({ ok: false, error: "unknown-session" });
    m.emit("ack", { sessionId, epoch: 0, seq: 0 });
    await settle();
    expect(seen).toEqual([]);
    expect((await h.store.getSession(sessionId))?.counselor).toBe("alice");
  });

  it("lets only certified counselors take chats", async () => {
    const u = track(
      await connectStaff(h.url, h.addStaff(principal("newbie", { certified: false })), "available"),
    );
    track((await joinAsSurvivor(h.url)).socket);
    expect(await request(u as Socket, "take", {})).toEqual({ ok: false, error: "not-certified" });
  });

  it("refuses a revoked counselor at the next assignment", async () => {
    const a = track(await connectStaff(h.url, h.addStaff(principal("alice")), "away"));
    h.deactivate("alice" as StaffId);
    track((await joinAsSurvivor(h.url)).socket);
    expect(await request(a as Socket, "take", {})).toEqual({ ok: false, error: "revoked" });
  });

  it("gives no chat to a counselor whose certificate expired while connected", async () => {
    const a = track(await connectStaff(h.url, h.addStaff(principal("alice")), "available"));
    h.expire("alice" as StaffId);
    const assigned = collect<Assigned>(a, "assigned");
    const s = await joinAsSurvivor(h.url);
    track(s.socket);
    await settle();
    expect(assigned).toEqual([]);
    expect((await h.store.getSession(s.queued.sessionId))?.state).toBe("waiting");
    expect(await request(a as Socket, "take", {})).toEqual({ ok: false, error: "not-certified" });
  });

  it("disconnectStaff cuts a counselor off and puts their chat back in the queue with a new epoch", async () => {
    const a = track(await connectStaff(h.url, h.addStaff(principal("alice")), "away")) as Socket;
    const chat = await activeChat(a);
    const transferring = next<Transferring>(chat.socket, "transferring");
    const gone = next<string>(a, "disconnect");
    h.relay.disconnectStaff("alice" as StaffId);
    expect(await gone).toBe("io server disconnect");
    expect(await transferring).toEqual({ sessionId: chat.sessionId, epoch: 1 });
    // The survivor's fresh key puts the chat at the front of the queue for the next counselor.
    const b = track(await connectStaff(h.url, h.addStaff(principal("bob")), "away")) as Socket;
    expect(
      await request(chat.socket as Socket, "transfer-key", {
        sessionId: chat.sessionId,
        survivorKey: opaque(32),
      }),
    ).toEqual({
      ok: true,
    });
    const taken = await request<Reply<{ assigned: Assigned }>>(b, "take", {});
    if (!taken.ok) throw new Error(taken.error);
    expect(taken.assigned).toMatchObject({
      sessionId: chat.sessionId,
      epoch: 1,
      transfer: { from: "alice" },
    });
    await settle();
    expect(await h.store.getStaff("alice" as StaffId)).toBeNull();
  });
});
