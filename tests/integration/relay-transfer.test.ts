import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type {
  Assigned,
  HandoverFailed,
  LoadSnapshot,
  StaffEnded,
  Transferring,
} from "../../shared/protocol/index.ts";
import { collect, next, opaque, request } from "../support/relay-clients.ts";
import { answerTransfer, relayFixture, setStatus as status } from "../support/relay-fixture.ts";
import { BROADCAST_INTERVAL_MS } from "../../server/relay/broadcast.ts";

const fx = relayFixture();
const { chatFor, staff } = fx;

// Queue, position and load pushes are coalesced (at most one per BROADCAST_INTERVAL_MS): wait past it.
const settle = () => new Promise((r) => setTimeout(r, BROADCAST_INTERVAL_MS + 80));

describe("transfer between counselors", () => {
  it("hands a chat to a colleague who holds one chat of a limit of two (the handed chat counts once)", async () => {
    const alice = await staff("alice");
    const bob = await staff("bob");
    await chatFor(bob);
    const x = await chatFor(alice);
    expect(await status(bob, "available")).toEqual({ ok: true });
    await status(alice, "available");
    const aliceAssigned = collect<Assigned>(alice, "assigned");
    const aliceEnded = collect<StaffEnded>(alice, "ended");
    const forBob = next<Assigned>(bob, "assigned", 2000);
    const sessionId = x.queued.sessionId;
    const note = opaque(900);
    const answer = answerTransfer(x, 1);
    expect(await request(alice as Socket, "transfer", { sessionId, to: "bob", note })).toEqual({ ok: true });
    expect(await answer()).toEqual({ ok: true });
    const got = await forBob;
    expect(got.sessionId).toBe(sessionId);
    expect(got.epoch).toBe(1);
    expect(new Uint8Array(got.transfer?.note ?? [])).toEqual(new Uint8Array(note));
    // Until Bob confirms, Alice is not told it is over (she keeps her draft); nothing comes back to her.
    await settle();
    expect(aliceEnded).toEqual([]);
    expect(await request(bob as Socket, "accept", { sessionId, epoch: 1, handshake: opaque(300) })).toEqual({
      ok: true,
    });
    await settle();
    expect(aliceEnded).toEqual([{ sessionId, reason: "transferred" }]);
    expect(aliceAssigned).toEqual([]);
  });

  it("refuses a transfer to an away, on-break, full or offline colleague before anything changes", async () => {
    const alice = await staff("alice");
    const bob = await staff("bob", 1);
    const x = await chatFor(alice);
    const sessionId = x.queued.sessionId;
    const transferring = collect<Transferring>(x.socket, "transferring");
    const transfer = () => request(alice as Socket, "transfer", { sessionId, to: "bob", note: opaque(100) });
    expect(await transfer()).toEqual({ ok: false, error: "target-away" });
    await status(bob, "break");
    expect(await transfer()).toEqual({ ok: false, error: "target-on-break" });
    await status(bob, "available");
    await fx.survivor();
    await settle();
    expect(await transfer()).toEqual({ ok: false, error: "target-full" });
    expect(await request(alice as Socket, "transfer", { sessionId, to: "nobody" })).toEqual({
      ok: false,
      error: "target-offline",
    });
    // Alice still holds the chat at the same epoch: frames flow as before.
    await settle();
    expect(transferring).toEqual([]);
    expect(
      await request(alice as Socket, "frame", { sessionId, epoch: 0, seq: 0, ciphertext: opaque(40) }),
    ).toEqual({ ok: true });
  });

  it("lets only one of two simultaneous transfers take the colleague's last place", async () => {
    const alice = await staff("alice");
    const carol = await staff("carol");
    const bob = await staff("bob");
    await chatFor(bob);
    const x = await chatFor(alice);
    const y = await chatFor(carol);
    await status(bob, "available");
    const [a, c] = await Promise.all([
      request(alice as Socket, "transfer", { sessionId: x.queued.sessionId, to: "bob" }),
      request(carol as Socket, "transfer", { sessionId: y.queued.sessionId, to: "bob" }),
    ]);
    expect([a, c].filter((r) => r.ok)).toHaveLength(1);
    expect([a, c].filter((r) => !r.ok)).toEqual([{ ok: false, error: "target-full" }]);
  });

  it("holds the chat for the sender when the colleague disconnects mid-handover, and never gives it back on its own", async () => {
    const alice = await staff("alice");
    const bob = await staff("bob");
    const x = await chatFor(alice);
    const sessionId = x.queued.sessionId;
    await status(bob, "available");
    await status(alice, "available");
    const failed = next<HandoverFailed>(alice, "handover-failed", 2000);
    const aliceAssigned = collect<Assigned>(alice, "assigned");
    const answer = answerTransfer(x, 1);
    expect(await request(alice as Socket, "transfer", { sessionId, to: "bob", note: opaque(100) })).toEqual({
      ok: true,
    });
    // Bob's browser closes after the relay accepted the transfer, before the survivor's key arrives.
    bob.close();
    expect(await failed).toEqual({ sessionId, reason: "target-offline" });
    expect(await answer()).toEqual({ ok: true });
    await settle();
    // Alice is available with room, yet nothing is pushed to her: she decides.
    expect(aliceAssigned).toEqual([]);
    expect((await fx.h.store.getSession(sessionId))?.state).toBe("held");
    // Someone else cannot decide for her.
    const carol = await staff("carol");
    expect(await request(carol as Socket, "reclaim", { sessionId, to: "me" })).toEqual({
      ok: false,
      error: "not-your-session",
    });
    // She takes it back: a fresh epoch and key, then `assigned` to her (no note: it was for Bob).
    const back = next<Assigned>(alice, "assigned", 2000);
    const again = answerTransfer(x, 2);
    expect(await request(alice as Socket, "reclaim", { sessionId, to: "me" })).toEqual({ ok: true });
    expect(await again()).toEqual({ ok: true });
    const got = await back;
    expect(got.epoch).toBe(2);
    expect(got.transfer).toBeUndefined();
    expect(await request(alice as Socket, "accept", { sessionId, epoch: 2, handshake: opaque(300) })).toEqual(
      {
        ok: true,
      },
    );
  });

  it("holds the chat when the colleague disconnects after being assigned but before accepting; the queue skips the sender", async () => {
    const alice = await staff("alice");
    const bob = await staff("bob");
    const x = await chatFor(alice);
    const sessionId = x.queued.sessionId;
    await status(bob, "available");
    await status(alice, "available");
    const forBob = next<Assigned>(bob, "assigned", 2000);
    const answer = answerTransfer(x, 1);
    expect(await request(alice as Socket, "transfer", { sessionId, to: "bob" })).toEqual({ ok: true });
    expect(await answer()).toEqual({ ok: true });
    await forBob;
    const failed = next<HandoverFailed>(alice, "handover-failed", 2000);
    bob.close();
    expect(await failed).toEqual({ sessionId, reason: "target-offline" });
    // Alice puts it in the queue: it waits there although she is available with room.
    const aliceAssigned = collect<Assigned>(alice, "assigned");
    const again = answerTransfer(x, 2);
    expect(await request(alice as Socket, "reclaim", { sessionId, to: "queue" })).toEqual({ ok: true });
    expect(await again()).toEqual({ ok: true });
    await settle();
    expect(aliceAssigned).toEqual([]);
    expect((await fx.h.store.getSession(sessionId))?.state).toBe("waiting");
    // A colleague who comes along gets it, marked as handed over by Alice.
    const carol = await staff("carol");
    const forCarol = next<Assigned>(carol, "assigned", 2000);
    await status(carol, "available");
    expect((await forCarol).transfer?.from).toBe("alice");
  });

  it("tells every counselor each colleague's status and load, counting a handover on its way", async () => {
    const alice = await staff("alice");
    const bob = await staff("bob");
    const x = await chatFor(alice);
    await status(bob, "available");
    const loads = collect<LoadSnapshot>(alice, "load");
    expect(await request(alice as Socket, "transfer", { sessionId: x.queued.sessionId, to: "bob" })).toEqual({
      ok: true,
    });
    await settle();
    const bobLoad = loads.at(-1)?.counselors.find((c) => c.id === "bob");
    expect(bobLoad).toMatchObject({ status: "available", chats: 1, limit: 2 });
  });
});
