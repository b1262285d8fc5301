import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { Assigned, HandoverFailed, StaffEnded, StaffId } from "../../shared/protocol/index.ts";
import {
  collect,
  connectStaff,
  joinAsSurvivor,
  type Joined,
  next,
  opaque,
  request,
  type StaffClient,
} from "../support/relay-clients.ts";
import { answerTransfer, relayFixture, setStatus as status } from "../support/relay-fixture.ts";
import { principal } from "../support/relay-harness.ts";
import { needService } from "../support/services.ts";
import { sharedStoreFixture } from "../support/shared-store.ts";

const redisRuns = await needService("redis");

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
async function acceptOfferOn(counselor: StaffClient, survivor: Socket, got: Assigned) {
  const accepted = next(survivor, "accepted", 2000);
  expect(
    await request(counselor as Socket, "accept", {
      sessionId: got.sessionId,
      epoch: got.epoch,
      handshake: opaque(300),
    }),
  ).toEqual({ ok: true });
  await accepted;
}

/** `acceptOfferOn` once the offer has come. */
async function acceptOffer(counselor: StaffClient, survivor: Socket, offer: Promise<Assigned>) {
  const got = await offer;
  await acceptOfferOn(counselor, survivor, got);
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

/**
 * The same race across two relay nodes on Redis (each node handles its own requests one at a
 * time, not the other's): two colleagues on different nodes hand Bob his last place at once.
 */
describe.runIf(redisRuns)("transfer races across nodes", () => {
  const { sockets, redisNodes } = sharedStoreFixture("redis");

  it("two transfers from two nodes that both start for a colleague's last place: one is held for its sender, who is told target-full, and Bob never holds more than his limit", {
    timeout: 20_000,
  }, async () => {
    const [a, b] = await redisNodes(2, { resumeGraceMs: 60_000 });
    if (!a || !b) throw new Error("two nodes");
    const counselor = async (node: typeof a, id: string) => {
      const socket = await connectStaff(node.url, node.addStaff(principal(id, { chatLimit: 2 })), "away");
      sockets.push(socket);
      return socket;
    };
    const chatOf = async (node: typeof a, who: StaffClient): Promise<Joined> => {
      const s = await joinAsSurvivor(node.url);
      sockets.push(s.socket);
      const sessionId = s.queued.sessionId;
      expect((await request(who as Socket, "take", { sessionId })).ok).toBe(true);
      expect(await request(who as Socket, "accept", { sessionId, epoch: 0, handshake: opaque(300) })).toEqual(
        {
          ok: true,
        },
      );
      return s;
    };
    const bob = await counselor(a, "bob");
    const alice = await counselor(a, "alice");
    const carol = await counselor(b, "carol");
    await chatOf(a, bob);
    const x = await chatOf(a, alice);
    const y = await chatOf(b, carol);
    expect(await status(bob, "available")).toEqual({ ok: true });
    const [xId, yId] = [x.queued.sessionId, y.queued.sessionId];
    const failedAlice = collect<HandoverFailed>(alice, "handover-failed");
    const failedCarol = collect<HandoverFailed>(carol, "handover-failed");
    const offers = collect<Assigned>(bob, "assigned");
    const [keyX, keyY] = [answerTransfer(x, 1), answerTransfer(y, 1)];
    // Node A reads Bob's chats for Alice's transfer, and writes the handover only after node B
    // started Carol's: each node saw Bob with one chat, so both transfers start.
    const readHere = a.store.heldSessionsOf.bind(a.store);
    let carolStarted = () => {};
    const gate = new Promise<void>((resolve) => {
      carolStarted = resolve;
    });
    let aliceChecked = () => {};
    const checked = new Promise<void>((resolve) => {
      aliceChecked = resolve;
    });
    a.store.heldSessionsOf = async (id) => {
      // Only the transfer's check (a load broadcast reads Bob's chats too).
      const forTransfer = new Error().stack?.includes("targetRefusal") === true;
      const read = await readHere(id);
      if (id !== "bob" || !forTransfer) return read;
      aliceChecked();
      await gate;
      return read;
    };
    const fromAlice = request(alice as Socket, "transfer", { sessionId: xId, to: "bob" });
    await checked;
    const fromCarol = await request(carol as Socket, "transfer", { sessionId: yId, to: "bob" });
    carolStarted();
    expect([await fromAlice, fromCarol]).toEqual([{ ok: true }, { ok: true }]);
    a.store.heldSessionsOf = readHere;
    // Carol's survivor sends its key first: Bob's last place is taken by Alice's handover on its
    // way, so Carol's is held for Carol, who is told; Alice's then reaches Bob.
    expect(await keyY()).toEqual({ ok: true });
    await expect.poll(() => failedCarol).toEqual([{ sessionId: yId, reason: "target-full" }]);
    expect(await keyX()).toEqual({ ok: true });
    await expect.poll(() => offers.map((o) => o.sessionId)).toEqual([xId]);
    await acceptOfferOn(bob, x.socket as Socket, offers[0] as Assigned);
    const y1 = await b.store.getSession(yId as never);
    expect([y1?.state, y1?.counselor, y1?.previousCounselor]).toEqual(["held", null, "carol"]);
    expect(failedAlice).toEqual([]);
    const mine = await b.store.heldSessionsOf("bob" as StaffId);
    expect(mine.filter((s) => s.counselor === "bob").length).toBe(2);
  });
});
