import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { Assigned, Reply, StaffEnded } from "../../shared/protocol/index.ts";
import { counterOf, type ServiceCounter } from "../../shared/stats/service-level.ts";
import {
  collect,
  connectStaff,
  joinAsSurvivor,
  next,
  request,
  WRAPUP_TOKEN,
} from "../support/relay-clients.ts";
import { answerTransfer, relayFixture } from "../support/relay-fixture.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";
import { stageRace } from "../support/store-race.ts";

/** The counters storage would add these events to (shared/stats/service-level.ts), all nodes. */
function figures(...nodes: Harness[]): Partial<Record<ServiceCounter, number>> {
  const out: Partial<Record<ServiceCounter, number>> = {};
  for (const event of nodes.flatMap((n) => n.serviceEvents)) {
    const counter = counterOf(event);
    out[counter] = (out[counter] ?? 0) + 1;
  }
  return out;
}

/** The relay reports service events where the state changes, once each, with no session id. */
describe("relay: service events", () => {
  let open = true;
  const fx = relayFixture({ resumeGraceMs: 300, maxWaiting: 2, isOpen: () => open });
  const types = () => fx.h.serviceEvents.map((e) => e.type);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it("counts a chat offered and answered once, never as abandoned, across a return to the queue", async () => {
    const alice = await fx.staff("alice");
    const x = await fx.chatFor(alice);
    expect(fx.h.serviceEvents[0]).toEqual({ type: "offered" });
    expect(fx.h.serviceEvents[1]).toEqual({ type: "answered", waitMs: expect.any(Number) });
    const bob = await fx.staff("bob", 2, "available");
    const forBob = next<Assigned>(bob, "assigned", 3000);
    // Alice is cut off: her chat goes back to the queue and reaches Bob, answered already.
    const answer = answerTransfer(x, 1);
    fx.h.relay.disconnectStaff("alice" as never);
    expect(await answer()).toEqual({ ok: true });
    expect((await forBob).sessionId).toBe(x.queued.sessionId);
    expect(
      await request(x.socket as Socket, "leave", { sessionId: x.queued.sessionId, reason: "ended" }),
    ).toEqual({
      ok: true,
    });
    await settle();
    expect(types()).toEqual(["offered", "answered"]);
    // Nothing that could name the chat travels with an event.
    expect(JSON.stringify(fx.h.serviceEvents)).not.toContain(x.queued.sessionId);
  });

  it("counts a chat left while waiting as abandoned, with how long it waited", async () => {
    const s = await fx.survivor();
    await request(s.socket as Socket, "leave", { sessionId: s.queued.sessionId, reason: "ended" });
    await settle();
    expect(fx.h.serviceEvents).toEqual([
      { type: "offered" },
      { type: "abandoned", waitMs: expect.any(Number) },
    ]);
  });

  it("counts a quick exit while waiting (also abandoned) and in a chat (answered, not abandoned)", async () => {
    const waiting = await fx.survivor();
    await request(waiting.socket as Socket, "leave", {
      sessionId: waiting.queued.sessionId,
      reason: "quick-exit",
    });
    await settle();
    expect(types()).toEqual(["offered", "abandoned", "quick-exit"]);
    const alice = await fx.staff("alice");
    const chat = await fx.chatFor(alice);
    await request(chat.socket as Socket, "leave", { sessionId: chat.queued.sessionId, reason: "quick-exit" });
    // A second leave for the same chat is answered but counts nothing.
    await request(chat.socket as Socket, "leave", { sessionId: chat.queued.sessionId, reason: "quick-exit" });
    await settle();
    expect(types()).toEqual(["offered", "abandoned", "quick-exit", "offered", "answered", "quick-exit"]);
  });

  it("counts a quick exit whose leave arrives in the same read as the disconnect (socket.io drops that event)", async () => {
    const alice = await fx.staff("alice");
    const endedForAlice = next<StaffEnded>(alice, "ended");
    // Long-polling: while one POST is out, the frame's next packets wait and leave together, as
    // when the relay is slow to answer and the frame's quick exit closes after its 400 ms.
    const [waiting, chat] = [
      await joinAsSurvivor(fx.h.url, {}, ["polling"]),
      await joinAsSurvivor(fx.h.url, {}, ["polling"]),
    ];
    const taken = await request<Reply<{ assigned: Assigned }>>(alice as Socket, "take", {
      sessionId: chat.queued.sessionId,
    });
    expect(taken.ok).toBe(true);
    for (const { socket, queued } of [waiting, chat]) {
      fx.track(socket);
      socket.emit("waiting", { sessionId: queued.sessionId });
      socket.emit("leave", { sessionId: queued.sessionId, reason: "quick-exit" });
      socket.disconnect();
    }
    expect(await endedForAlice).toEqual({
      sessionId: chat.queued.sessionId,
      reason: "quick-exit",
      wrapup: WRAPUP_TOKEN,
    });
    await settle();
    expect([...types()].sort()).toEqual(
      ["offered", "offered", "answered", "abandoned", "quick-exit", "quick-exit"].sort(),
    );
  });

  it("counts joins refused as closed and as queue full, and nothing for a malformed join", async () => {
    const waiting = [await fx.survivor(), await fx.survivor()];
    await expect(joinAsSurvivor(fx.h.url)).rejects.toThrow("queue-full");
    // The waiting chats leave first: while closed, the sweep would end them at its own moment.
    for (const s of waiting)
      await request(s.socket as Socket, "leave", { sessionId: s.queued.sessionId, reason: "ended" });
    open = false;
    try {
      await expect(joinAsSurvivor(fx.h.url)).rejects.toThrow("closed");
      await expect(joinAsSurvivor(fx.h.url, { partner: "nobody" })).rejects.toThrow("bad-request");
    } finally {
      open = true;
    }
    expect(fx.h.serviceEvents).toEqual([
      { type: "offered" },
      { type: "offered" },
      { type: "refused", reason: "full" },
      { type: "abandoned", waitMs: expect.any(Number) },
      { type: "abandoned", waitMs: expect.any(Number) },
      { type: "refused", reason: "closed" },
    ]);
  });

  describe("a chat assigned on one node as another ends it is counted once", () => {
    /**
     * Node A (the fixture's relay) holds the survivor and runs the ending; node B, on the same
     * store, holds the counselor who takes the chat. Bilal is also connected to A, where the
     * ending node tells its counselors (the harness has no cross-node adapter).
     */
    async function race(order: "assignment-first" | "end-first", how: "sweep" | "leave") {
      const b = await startRelay({ resumeGraceMs: 300, store: fx.h.store, handOver: true });
      try {
        const onA = await fx.staff("bilal");
        const onB = fx.track(await connectStaff(b.url, b.addStaff(principal("bilal")), "away"));
        const endedOnA = collect<StaffEnded>(onA, "ended");
        const s = await fx.survivor();
        // The sweep tells the survivor; a survivor who left is told nothing. The sweep's end is
        // conditional on the record it read: an assignment written first keeps the chat.
        const ends = how === "sweep" && order === "end-first";
        const survivorEnded = ends ? next<{ reason: string }>(s.socket, "ended") : null;
        const sessionId = s.queued.sessionId;
        const { deleted } = stageRace(fx.h.store, sessionId, order, () => {
          // The helpline closes for node A's sweep, or the survivor leaves through node A.
          if (how === "sweep") open = false;
          else s.socket.emit("leave", { sessionId, reason: "ended" });
        });
        const taken = await request<Reply<{ assigned: Assigned }>>(onB as Socket, "take", { sessionId });
        const survivorReason = (await survivorEnded)?.reason ?? null;
        await deleted;
        await settle();
        return { b, taken, endedOnA, survivorReason, sessionId };
      } finally {
        open = true;
        await b.close();
      }
    }

    it("the sweep would end it just after the assignment is written: it stays, answered", async () => {
      const { b, taken, endedOnA, sessionId } = await race("assignment-first", "sweep");
      expect(taken.ok).toBe(true);
      expect(figures(fx.h, b)).toEqual({ offered: 1, answered: 1 });
      expect(endedOnA).toEqual([]);
      expect((await fx.h.store.getSession(sessionId))?.state).toBe("assigned");
    });

    it("the sweep ends it before the assignment is written: abandoned, not answered", async () => {
      const { b, taken, survivorReason } = await race("end-first", "sweep");
      expect(taken).toEqual({ ok: false, error: "unknown-session" });
      expect(survivorReason).toBe("helpline-closed");
      expect(figures(fx.h, b)).toEqual({ offered: 1, abandoned: 1 });
    });

    it("the survivor leaves just after the assignment is written: answered, and the counselor is told", async () => {
      const { b, taken, endedOnA, sessionId } = await race("assignment-first", "leave");
      expect(taken.ok).toBe(true);
      expect(figures(fx.h, b)).toEqual({ offered: 1, answered: 1 });
      expect(endedOnA).toEqual([{ sessionId, reason: "visitor-left", wrapup: WRAPUP_TOKEN }]);
    });
  });
});
