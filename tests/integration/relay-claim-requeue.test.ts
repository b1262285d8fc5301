import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { queueInfo } from "../../server/relay/broadcast.ts";
import { queueName, type SessionRecord } from "../../server/state/records.ts";
import type { RelayStore } from "../../server/state/store.ts";
import type { Assigned, Reply, SessionId } from "../../shared/protocol/index.ts";
import { collect, connectStaff, type Joined, joinAsSurvivor, request } from "../support/relay-clients.ts";
import { principal, startRelay } from "../support/relay-harness.ts";
import { needService } from "../support/services.ts";
import { sharedStoreFixture } from "../support/shared-store.ts";

const redisRuns = await needService("redis");

/**
 * Two relay nodes on one store (memory or Redis): survivors join on node A, the counselor is on
 * node B. The store is wrapped so a test can stage another writer between two steps of a node:
 * a write that wins every compare-and-set of an assignment, or a chat put back in the queue
 * between the sweep's check of an entry and its removal.
 */
describe.each(["memory", "redis"] as const)(
  "relay: a claim or a sweep racing other writers (%s store)",
  (kind) => {
    const { harnesses, sockets, store: sharedStore } = sharedStoreFixture(kind);

    /** Hooks into the shared store's writes (null: pass through). */
    const hooks: {
      update: ((next: SessionRecord) => Promise<void>) | null;
      dequeue: ((queue: string, id: SessionId) => Promise<void>) | null;
    } = { update: null, dequeue: null };
    /** What each removal of an entry hooked by `hooks.dequeue` returned. */
    const removals: boolean[] = [];
    let sweepCount = 0;
    /** Sweeps started (either node: one store, one claim per period). */
    const sweeps = () => sweepCount;

    async function nodes() {
      hooks.update = null;
      hooks.dequeue = null;
      removals.length = 0;
      const inner = await sharedStore();
      const store = new Proxy(inner, {
        get(target, prop, receiver) {
          if (prop === "updateSession")
            return async (next: SessionRecord) => {
              await hooks.update?.(next);
              return target.updateSession(next);
            };
          if (prop === "dequeue")
            return async (queue: string, id: SessionId, ...rest: [number | null]) => {
              const hook = hooks.dequeue;
              await hook?.(queue, id);
              const removed = await target.dequeue(queue, id, ...rest);
              if (hook) removals.push(removed);
              return removed;
            };
          if (prop === "claimTimer")
            return async (name: string, ttlMs: number) => {
              if (name === "sweep") sweepCount++;
              return target.claimTimer(name, ttlMs);
            };
          const value = Reflect.get(target, prop, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const a = await startRelay<RelayStore>({ store, resumeGraceMs: 300 });
      harnesses.push(a);
      const b = await startRelay<RelayStore>({ store, resumeGraceMs: 300, handOver: true });
      harnesses.push(b);
      const staff = await connectStaff(b.url, b.addStaff(principal("bilal", { chatLimit: 2 })), "away");
      sockets.push(staff);
      const join = async () => {
        const s = await joinAsSurvivor(a.url);
        sockets.push(s.socket);
        return s;
      };
      return { inner, store, staff, join };
    }

    /** Ids and scores of the survivors' queue, oldest first. */
    const queue = async (store: RelayStore) =>
      (await store.queueEntries(queueName({ language: "en", team: "default" }))).map((e) => ({
        id: e.id,
        queuedAt: e.queuedAt,
      }));
    const entryOf = async (store: RelayStore, s: Joined) => {
      const record = await store.getSession(s.queued.sessionId);
      return { id: s.queued.sessionId, queuedAt: record?.queuedAt };
    };

    /**
     * Every compare-and-set moving this chat to `assigned` loses: just before it, another writer
     * (a keep-alive, as the survivor's frame sends) rewrites the record with the next version.
     */
    function loseEveryAssignment(inner: RelayStore, id: SessionId) {
      let lost = 0;
      hooks.update = async (next) => {
        if (next.id !== id || next.state !== "assigned") return;
        const current = await inner.getSession(id);
        if (current) await inner.updateSession({ ...current, version: current.version + 1 });
        lost++;
      };
      return { lost: () => lost };
    }

    it.runIf(kind === "memory" || redisRuns)(
      "a take that loses every compare-and-set leaves the survivor in the queue, in their place",
      async () => {
        const { inner, store, staff, join } = await nodes();
        const [s1, s2] = [await join(), await join()];
        const before = [await entryOf(store, s1), await entryOf(store, s2)];
        expect(await queue(store)).toEqual(before);
        const race = loseEveryAssignment(inner, s1.queued.sessionId);
        const taken = await request<Reply>(staff as Socket, "take", { sessionId: s1.queued.sessionId });
        expect(taken).toEqual({ ok: false, error: "unknown-session" });
        expect(race.lost()).toBe(4);
        expect((await store.getSession(s1.queued.sessionId))?.state).toBe("waiting");
        expect(await queue(store)).toEqual(before);
        // The writes stop winning: the next take (the longest waiting) gets the same survivor.
        hooks.update = null;
        const again = await request<Reply<{ assigned: Assigned }>>(staff as Socket, "take", {});
        expect(again.ok && again.assigned.sessionId).toBe(s1.queued.sessionId);
        expect(await queue(store)).toEqual([before[1]]);
      },
    );

    it.runIf(kind === "memory" || redisRuns)(
      "an auto-assignment that loses every compare-and-set leaves the survivor in the queue, in their place",
      async () => {
        const { inner, store, staff, join } = await nodes();
        const [s1, s2] = [await join(), await join()];
        const before = [await entryOf(store, s1), await entryOf(store, s2)];
        const race = loseEveryAssignment(inner, s1.queued.sessionId);
        const assigned = collect<Assigned>(staff, "assigned");
        // Available: the status change (and every sweep after it) auto-assigns, oldest first.
        expect(await request(staff as Socket, "status", { status: "available" })).toEqual({ ok: true });
        await expect.poll(() => race.lost()).toBeGreaterThanOrEqual(8);
        expect(await request(staff as Socket, "status", { status: "away" })).toEqual({ ok: true });
        // A sweep that read the counselor as available before that has finished its round (each
        // node starts its next sweep only after its last one ended).
        const from = sweeps();
        await expect.poll(sweeps).toBeGreaterThanOrEqual(from + 4);
        // The second survivor was not held up by the first one's failed claims.
        await expect.poll(() => assigned.map((x) => x.sessionId)).toEqual([s2.queued.sessionId]);
        await expect.poll(() => queue(store)).toEqual([before[0]]);
        expect((await store.getSession(s1.queued.sessionId))?.state).toBe("waiting");
        hooks.update = null;
        const again = await request<Reply<{ assigned: Assigned }>>(staff as Socket, "take", {});
        expect(again.ok && again.assigned.sessionId).toBe(s1.queued.sessionId);
      },
    );

    it.runIf(kind === "memory" || redisRuns)(
      "a chat put back in the queue between the sweep's check of its old entry and the removal keeps its entry",
      async () => {
        const { inner, store, join } = await nodes();
        const s = await join();
        const id = s.queued.sessionId;
        const entry = await entryOf(store, s);
        // The entry outlives its record's wait: the record moves on (a counselor's chat, handed
        // over), the entry is still there for the sweep to find.
        const waiting = (await inner.getSession(id)) as SessionRecord;
        const moved = { ...waiting, state: "transferring" as const, version: waiting.version + 1 };
        expect(await inner.updateSession(moved)).toBe(true);
        let requeued = false;
        hooks.dequeue = async (name, dequeued) => {
          if (requeued || dequeued !== id) return;
          requeued = true;
          // Another node puts the chat back in the queue (handover.ts, requeue): the record is
          // waiting again and its entry written anew, between the sweep's read and its removal.
          const back = { ...moved, state: "waiting" as const, version: moved.version + 1 };
          expect(await inner.updateSession(back)).toBe(true);
          await inner.enqueue(name, id, back.queuedAt, queueInfo(back));
        };
        // The sweep's removal has run (whatever it removed): the chat is still in the queue, in
        // its place, and the next sweeps leave it there.
        await expect.poll(() => removals.length).toBeGreaterThanOrEqual(1);
        hooks.dequeue = null;
        expect(await queue(store)).toEqual([entry]);
        const from = sweeps();
        await expect.poll(sweeps).toBeGreaterThanOrEqual(from + 2);
        expect(await queue(store)).toEqual([entry]);
        expect((await store.getSession(id))?.state).toBe("waiting");
      },
    );
  },
);
