import { expect } from "vitest";
import type { SessionRecord } from "../../server/state/records.ts";
import type { RelayStore } from "../../server/state/store.ts";
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
