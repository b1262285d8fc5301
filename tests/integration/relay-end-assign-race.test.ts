import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { Assigned, Reply, StaffEnded, SurvivorEnded } from "../../shared/protocol/index.ts";
import { collect, connectStaff, opaque, request } from "../support/relay-clients.ts";
import { relayFixture } from "../support/relay-fixture.ts";
import { principal, startRelay } from "../support/relay-harness.ts";
import { stageRace } from "../support/store-race.ts";

/**
 * A sweep on one node ends a waiting chat (the helpline closed, or its frame fell silent) just as
 * another node assigns it to a counselor. The sweep's end is conditional on the record it read:
 * when the assignment was written first, the delete removes nothing, the record is judged again
 * (assigned, not idle) and the chat goes on: the counselor's `accept` makes it active. When
 * the end was first, the assignment never happens and the counselor hears nothing of it.
 *
 * Node A (the fixture's relay) holds the survivor and runs the sweep; node B, on the same store,
 * assigns. Bilal is connected to both (the harness has no cross-node adapter, and the ending node
 * tells the counselor's staff room).
 */
describe("relay: a chat ended on one node as another assigns it", () => {
  let open = true;
  let now = Date.now();
  const SILENCE_MS = 1000;
  const fx = relayFixture({
    resumeGraceMs: 300,
    waitingSilenceMs: SILENCE_MS,
    isOpen: () => open,
    now: () => now,
  });

  async function race(order: "assignment-first" | "end-first", how: "closed-and-take" | "silent-and-auto") {
    const b = await startRelay({
      resumeGraceMs: 300,
      waitingSilenceMs: SILENCE_MS,
      store: fx.h.store,
      handOver: true,
      isOpen: () => open,
      now: () => now,
    });
    try {
      const onA = await fx.staff("bilal");
      const onB = fx.track(await connectStaff(b.url, b.addStaff(principal("bilal")), "away"));
      const endedOnA = collect<StaffEnded>(onA, "ended");
      const assignedOnB = collect<Assigned>(onB, "assigned");
      const s = await fx.survivor();
      const sessionId = s.queued.sessionId;
      const survivorEnded = collect<SurvivorEnded>(s.socket, "ended");
      const { deleted } = stageRace(fx.h.store, sessionId, order, () => {
        // Node A's next sweep ends it: the helpline closed, or the frame's silence passed the limit.
        if (how === "closed-and-take") open = false;
        else now += SILENCE_MS;
      });
      let taken: Reply<{ assigned: Assigned }> | null = null;
      if (how === "closed-and-take")
        taken = await request<Reply<{ assigned: Assigned }>>(onB as Socket, "take", { sessionId });
      else expect(await request(onB as Socket, "status", { status: "available" })).toEqual({ ok: true });
      await deleted;
      if (order === "end-first") {
        await expect.poll(() => survivorEnded.length).toBe(1);
        // Node A has finished the ending (its log line comes after every message it sends); a
        // reply on Bilal's socket to A then comes after anything A sent him before it.
        await expect.poll(() => fx.h.logs.some((l) => l.includes("session ended"))).toBe(true);
        expect(await request(onA as Socket, "take", { sessionId })).toEqual({
          ok: false,
          error: "unknown-session",
        });
      }
      const accept = await request(onB as Socket, "accept", { sessionId, epoch: 0, handshake: opaque(64) });
      const state = (await fx.h.store.getSession(sessionId))?.state ?? null;
      return { sessionId, taken, survivor: survivorEnded[0] ?? null, endedOnA, assignedOnB, accept, state };
    } finally {
      open = true;
      await b.close();
    }
  }

  it("the helpline closes as a take is written: the take stands and the chat goes on", async () => {
    const r = await race("assignment-first", "closed-and-take");
    expect(r.taken?.ok).toBe(true);
    expect(r.accept).toEqual({ ok: true });
    expect(r.state).toBe("active");
    expect(r.survivor).toBeNull();
    expect(r.endedOnA).toEqual([]);
  });

  it("the helpline closes before the take is written: the take is refused, nothing else", async () => {
    const r = await race("end-first", "closed-and-take");
    expect(r.taken).toEqual({ ok: false, error: "unknown-session" });
    expect(r.survivor).toEqual({ sessionId: r.sessionId, reason: "helpline-closed" });
    expect(r.endedOnA).toEqual([]);
  });

  it("the frame's silence runs out as an auto-assignment is written: the assignment stands", async () => {
    const r = await race("assignment-first", "silent-and-auto");
    expect(r.assignedOnB.map((a) => a.sessionId)).toEqual([r.sessionId]);
    expect(r.accept).toEqual({ ok: true });
    expect(r.survivor).toBeNull();
    expect(r.endedOnA).toEqual([]);
  });

  it("the frame's silence runs out before the auto-assignment is written: nothing reaches the counselor", async () => {
    const r = await race("end-first", "silent-and-auto");
    expect(r.survivor).toEqual({ sessionId: r.sessionId, reason: "expired" });
    expect(r.assignedOnB).toEqual([]);
    expect(r.endedOnA).toEqual([]);
  });
});
