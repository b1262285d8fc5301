import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { Assigned, HandoverFailed, StaffEnded, StaffId } from "../../shared/protocol/index.ts";
import { collect, next, opaque, request, type StaffClient } from "../support/relay-clients.ts";
import { answerTransfer, relayFixture, setStatus as status } from "../support/relay-fixture.ts";

const fx = relayFixture({ resumeGraceMs: 60_000 });
const { chatFor, staff } = fx;

/** Who holds each chat, in the store: `[state, counselor, previousCounselor]`. */
const holders = (...ids: string[]) =>
  Promise.all(
    ids.map(async (id) => {
      const s = await fx.h.store.getSession(id as never);
      return [s?.state, s?.counselor, s?.previousCounselor];
    }),
  );

/** The handshake of an offer (`assigned`) the console does on its own; the survivor sees `accepted`. */
async function acceptOffer(counselor: StaffClient, survivor: Socket, offer: Promise<Assigned>) {
  const got = await offer;
  const accepted = next(survivor, "accepted", 2000);
  expect(
    await request(counselor as Socket, "accept", {
      sessionId: got.sessionId,
      epoch: got.epoch,
      handshake: opaque(300),
    }),
  ).toEqual({ ok: true });
  await accepted;
  return got;
}

/**
 * Transfer races with real sockets (PROTOCOL.md "Transfer"): every chat ends held by exactly one
 * counselor (or held for its sender to decide), and both counselors are told.
 */
describe("transfer races", () => {
  it("two counselors handing each other a chat at the same moment swap them, each told of both", async () => {
    const alice = await staff("alice", 2);
    const bob = await staff("bob", 2);
    const x = await chatFor(alice);
    const y = await chatFor(bob);
    const [xId, yId] = [x.queued.sessionId, y.queued.sessionId];
    await Promise.all([status(alice, "available"), status(bob, "available")]);
    const endedAlice = collect<StaffEnded>(alice, "ended");
    const endedBob = collect<StaffEnded>(bob, "ended");
    const forAlice = next<Assigned>(alice, "assigned", 2000);
    const forBob = next<Assigned>(bob, "assigned", 2000);
    const [keyX, keyY] = [answerTransfer(x, 1), answerTransfer(y, 1)];
    expect(
      await Promise.all([
        request(alice as Socket, "transfer", { sessionId: xId, to: "bob" }),
        request(bob as Socket, "transfer", { sessionId: yId, to: "alice" }),
      ]),
    ).toEqual([{ ok: true }, { ok: true }]);
    expect(await Promise.all([keyX(), keyY()])).toEqual([{ ok: true }, { ok: true }]);
    const [gotBob, gotAlice] = await Promise.all([
      acceptOffer(bob, x.socket as Socket, forBob),
      acceptOffer(alice, y.socket as Socket, forAlice),
    ]);
    expect([gotBob.sessionId, gotBob.transfer?.from]).toEqual([xId, "alice"]);
    expect([gotAlice.sessionId, gotAlice.transfer?.from]).toEqual([yId, "bob"]);
    await expect
      .poll(() => [endedAlice, endedBob])
      .toEqual([[{ sessionId: xId, reason: "transferred" }], [{ sessionId: yId, reason: "transferred" }]]);
    expect(await holders(xId, yId)).toEqual([
      ["active", "bob", null],
      ["active", "alice", null],
    ]);
  });

  it("with one place each, neither swap can start: both are refused and each keeps their chat", async () => {
    const alice = await staff("alice", 1);
    const bob = await staff("bob", 1);
    const x = await chatFor(alice);
    const y = await chatFor(bob);
    const [xId, yId] = [x.queued.sessionId, y.queued.sessionId];
    await Promise.all([status(alice, "available"), status(bob, "available")]);
    expect(
      await Promise.all([
        request(alice as Socket, "transfer", { sessionId: xId, to: "bob" }),
        request(bob as Socket, "transfer", { sessionId: yId, to: "alice" }),
      ]),
    ).toEqual([
      { ok: false, error: "target-full" },
      { ok: false, error: "target-full" },
    ]);
    expect(await holders(xId, yId)).toEqual([
      ["active", "alice", null],
      ["active", "bob", null],
    ]);
  });

  it.each([
    ["break", "target-on-break"],
    ["away", "target-away"],
  ] as const)(
    "a colleague who goes on %s while the offer is open is not given the chat; the sender is told and takes it back",
    async (goesTo, reason) => {
      const alice = await staff("alice", 2);
      const bob = await staff("bob", 2);
      const x = await chatFor(alice);
      const sessionId = x.queued.sessionId;
      await Promise.all([status(alice, "available"), status(bob, "available")]);
      const bobAssigned = collect<Assigned>(bob, "assigned");
      const failed = next<HandoverFailed>(alice, "handover-failed", 2000);
      const key = answerTransfer(x, 1);
      expect(await request(alice as Socket, "transfer", { sessionId, to: "bob" })).toEqual({ ok: true });
      // Bob changes status after the relay accepted the transfer, before the survivor's key.
      expect(await status(bob, goesTo)).toEqual({ ok: true });
      expect(await key()).toEqual({ ok: true });
      expect(await failed).toEqual({ sessionId, reason });
      expect(await holders(sessionId)).toEqual([["held", null, "alice"]]);
      const back = next<Assigned>(alice, "assigned", 2000);
      const again = answerTransfer(x, 2);
      expect(await request(alice as Socket, "reclaim", { sessionId, to: "me" })).toEqual({ ok: true });
      expect(await again()).toEqual({ ok: true });
      await acceptOffer(alice, x.socket as Socket, back);
      expect(await holders(sessionId)).toEqual([["active", "alice", null]]);
      expect(bobAssigned).toEqual([]);
    },
  );

  it("handing each other a chat when one of them closes mid-offer: the sender who stays gets both, one by deciding", async () => {
    const alice = await staff("alice", 2);
    const bob = await staff("bob", 2);
    const x = await chatFor(alice);
    const y = await chatFor(bob);
    const [xId, yId] = [x.queued.sessionId, y.queued.sessionId];
    await Promise.all([status(alice, "available"), status(bob, "available")]);
    const forAlice = next<Assigned>(alice, "assigned", 2000);
    const failed = next<HandoverFailed>(alice, "handover-failed", 2000);
    const [keyX, keyY] = [answerTransfer(x, 1), answerTransfer(y, 1)];
    expect(
      await Promise.all([
        request(alice as Socket, "transfer", { sessionId: xId, to: "bob" }),
        request(bob as Socket, "transfer", { sessionId: yId, to: "alice" }),
      ]),
    ).toEqual([{ ok: true }, { ok: true }]);
    bob.close();
    expect(await failed).toEqual({ sessionId: xId, reason: "target-offline" });
    expect(await Promise.all([keyX(), keyY()])).toEqual([{ ok: true }, { ok: true }]);
    // Bob's chat reaches Alice although Bob is gone; Bob's chat-to-be is held for Alice.
    const got = await acceptOffer(alice, y.socket as Socket, forAlice);
    expect([got.sessionId, got.transfer?.from]).toEqual([yId, "bob"]);
    expect(await holders(xId, yId)).toEqual([
      ["held", null, "alice"],
      ["active", "alice", null],
    ]);
    const back = next<Assigned>(alice, "assigned", 2000);
    const again = answerTransfer(x, 2);
    expect(await request(alice as Socket, "reclaim", { sessionId: xId, to: "me" })).toEqual({ ok: true });
    expect(await again()).toEqual({ ok: true });
    await acceptOffer(alice, x.socket as Socket, back);
    expect(await holders(xId, yId)).toEqual([
      ["active", "alice", null],
      ["active", "alice", null],
    ]);
    expect((await fx.h.store.getStaff("bob" as StaffId))?.connections).toBe(0);
  });
});
