import { expect } from "vitest";
import type { SessionRecord } from "../../server/state/records.ts";
import { type DueQuery, isSweepCandidate, type RelayStore } from "../../server/state/store.ts";
import type { StaffId } from "../../shared/protocol/index.ts";

/**
 * The indexes a queue/load push reads instead of every record, on any store: `queueEntries`
 * (order, `queuedAt`, info kept until dequeued, a removal conditional on the record's version), `heldSessions` and `heldSessionsOf` (kept
 * with every write, without a stale entry after a delete, a handover or a return to the queue). `record(n, over)` builds a
 * waiting session n queued at n.
 */
export async function checkQueueAndHeldIndexes(
  store: RelayStore,
  record: (n: number, over?: Partial<SessionRecord>) => SessionRecord,
): Promise<void> {
  const [one, two, three] = [record(1), record(2), record(3)];
  for (const r of [one, two, three]) expect(await store.createSession(r)).toBe(true);
  const info = { language: "en", partner: one.partner, transferFrom: "x" as StaffId } as const;
  await store.enqueue("en:default", three.id, 3, info);
  await store.enqueue("en:default", one.id, 1, { ...info, transferFrom: null });
  await store.enqueue("en:default", two.id, 2);
  expect(await store.queueEntries("en:default")).toEqual([
    { id: one.id, queuedAt: 1, info: { ...info, transferFrom: null } },
    { id: two.id, queuedAt: 2, info: null },
    { id: three.id, queuedAt: 3, info },
  ]);
  expect(await store.heldSessions()).toEqual([]);

  const assigned = { ...one, version: 1, state: "assigned" as const, counselor: "c" as StaffId };
  expect(await store.dequeue("en:default", one.id)).toBe(true);
  expect(await store.updateSession(assigned)).toBe(true);
  const active = { ...record(4, { state: "active" }), counselor: "c" as StaffId };
  expect(await store.createSession(active)).toBe(true);
  expect((await store.heldSessions()).map((r) => r.id).sort()).toEqual([one.id, active.id].sort());
  expect((await store.heldSessionsOf("c" as StaffId)).map((r) => r.id).sort()).toEqual(
    [one.id, active.id].sort(),
  );
  // A handover on its way counts for its target too; handed on, it is no longer the sender's.
  const moving = { ...active, version: 1, state: "transferring" as const, transferTo: "d" as StaffId };
  expect(await store.updateSession(moving)).toBe(true);
  expect((await store.heldSessionsOf("d" as StaffId)).map((r) => r.id)).toEqual([active.id]);
  const handed = {
    ...moving,
    version: 2,
    state: "active" as const,
    counselor: "d" as StaffId,
    transferTo: null,
  };
  expect(await store.updateSession(handed)).toBe(true);
  expect((await store.heldSessionsOf("c" as StaffId)).map((r) => r.id)).toEqual([one.id]);
  expect((await store.heldSessionsOf("d" as StaffId)).map((r) => r.id)).toEqual([active.id]);
  expect((await store.queueEntries("en:default")).map((e) => e.id)).toEqual([two.id, three.id]);

  // Back to the queue, or deleted: no longer held.
  expect(await store.updateSession({ ...assigned, version: 2, state: "waiting", counselor: null })).toBe(
    true,
  );
  expect((await store.deleteSession(active.id))?.id).toBe(active.id);
  expect(await store.heldSessions()).toEqual([]);
  expect(await store.heldSessionsOf("c" as StaffId)).toEqual([]);
  expect(await store.heldSessionsOf("d" as StaffId)).toEqual([]);
  // Conditional on the record's version (the sweep's orphans): the entry is left if the record
  // was written since, or exists where none was read; removed while it is as read, or absent.
  expect(await store.dequeue("en:default", two.id, 1)).toBe(false);
  expect(await store.dequeue("en:default", two.id, null)).toBe(false);
  expect(await store.dequeue("en:default", two.id, 0)).toBe(true);
  expect((await store.deleteSession(three.id))?.id).toBe(three.id);
  expect(await store.dequeue("en:default", three.id, 0)).toBe(false);
  expect(await store.dequeue("en:default", three.id, null)).toBe(true);
  expect(await store.queueEntries("en:default")).toEqual([]);
  expect(await store.queueNames()).toEqual([]);
}

/**
 * The sweep's read (`dueSessions`, `waitingSessions`) on any store: exactly the records that can
 * be due, as each one's last write left it (a compare-and-set moving it in or out of an index,
 * a delete), the same as a pass over every record would find. `record(n, over)` as above; the
 * store starts empty.
 */
export async function checkDueIndexes(
  store: RelayStore,
  record: (n: number, over?: Partial<SessionRecord>) => SessionRecord,
): Promise<void> {
  const ids = async (query: DueQuery) => (await store.dueSessions(query)).map((r) => r.id).sort();
  const waitingIds = async () => (await store.waitingSessions()).map((r) => r.id).sort();
  /** The same query answered by reading every record. */
  const scan = async (query: DueQuery) =>
    (await store.listSessions())
      .filter((r) => isSweepCandidate(r, query))
      .map((r) => r.id)
      .sort();
  const queries: DueQuery[] = [
    { idleBefore: 0, disconnectedBefore: 0 },
    { idleBefore: 100, disconnectedBefore: 100 },
    { idleBefore: 100, disconnectedBefore: 200 },
    { idleBefore: 1_000, disconnectedBefore: 1_000 },
  ];
  const agree = async () => {
    for (const q of queries) expect(await ids(q), JSON.stringify(q)).toEqual(await scan(q));
  };
  const c = "c" as StaffId;
  const waiting = record(1, { lastActivity: 0 });
  const recent = record(2, { state: "active", counselor: c, lastActivity: 500 });
  const idle = record(3, { state: "active", counselor: c, lastActivity: 100 });
  const gone = record(4, {
    state: "active",
    counselor: c,
    lastActivity: 900,
    survivorSocket: null,
    survivorDisconnectedAt: 200,
  });
  const held = record(5, { state: "held", previousCounselor: c, lastActivity: 50 });
  for (const r of [waiting, recent, idle, gone, held]) expect(await store.createSession(r)).toBe(true);

  // Nothing is due: only the waiting one (helpline hours decide it) is read.
  expect(await ids({ idleBefore: 0, disconnectedBefore: 0 })).toEqual([waiting.id]);
  // Idle at or before 100 (inclusive), whatever state but waiting; gone at or before 100: none.
  expect(await ids({ idleBefore: 100, disconnectedBefore: 100 })).toEqual(
    [waiting.id, idle.id, held.id].sort(),
  );
  expect(await ids({ idleBefore: 0, disconnectedBefore: 200 })).toEqual([waiting.id, gone.id].sort());
  expect(await waitingIds()).toEqual([waiting.id]);
  await agree();

  // Compare-and-set moves a record between the indexes: new activity, a survivor back, a chat
  // assigned (out of the waiting set, into the activity one), a chat back in the queue.
  expect(await store.updateSession({ ...idle, version: 1, lastActivity: 950 })).toBe(true);
  expect(
    await store.updateSession({ ...gone, version: 1, survivorSocket: "s2", survivorDisconnectedAt: null }),
  ).toBe(true);
  expect(
    await store.updateSession({ ...waiting, version: 1, state: "assigned", counselor: c, lastActivity: 10 }),
  ).toBe(true);
  expect(await store.updateSession({ ...recent, version: 1, state: "waiting", counselor: null })).toBe(true);
  // A lost compare-and-set changes no index.
  expect(await store.updateSession({ ...held, version: 5, lastActivity: 999 })).toBe(false);
  expect(await ids({ idleBefore: 100, disconnectedBefore: 1_000 })).toEqual(
    [waiting.id, recent.id, held.id].sort(),
  );
  expect(await ids({ idleBefore: 0, disconnectedBefore: 1_000 })).toEqual([recent.id]);
  expect(await waitingIds()).toEqual([recent.id]);
  await agree();

  // A survivor gone from an active chat: read from the time they left.
  expect(
    await store.updateSession({
      ...idle,
      version: 2,
      lastActivity: 950,
      survivorSocket: null,
      survivorDisconnectedAt: 300,
    }),
  ).toBe(true);
  expect(await ids({ idleBefore: 0, disconnectedBefore: 299 })).toEqual([recent.id]);
  expect(await ids({ idleBefore: 0, disconnectedBefore: 300 })).toEqual([recent.id, idle.id].sort());
  await agree();

  // Deleted (conditionally or not): in no index any more; a delete that lost leaves them.
  expect(await store.deleteSession(idle.id, 1)).toBeNull();
  expect((await store.deleteSession(idle.id, 2))?.id).toBe(idle.id);
  expect((await store.deleteSession(recent.id))?.id).toBe(recent.id);
  expect(await ids({ idleBefore: 1_000, disconnectedBefore: 1_000 })).toEqual(
    [waiting.id, gone.id, held.id].sort(),
  );
  expect(await waitingIds()).toEqual([]);
  await agree();
  for (const r of [waiting, gone, held]) expect((await store.deleteSession(r.id))?.id).toBe(r.id);
  expect(await ids({ idleBefore: 1_000, disconnectedBefore: 1_000 })).toEqual([]);
}
