import { describe, expect, it } from "vitest";
import type { SessionId, SideId, StaffId } from "../../../../shared/protocol/index.ts";
import { MAX_SPENT_CHALLENGES, MemoryStore } from "../../../../server/state/memory-store.ts";
import type { SessionRecord, SideRecord } from "../../../../server/state/records.ts";
import { checkDueIndexes, checkQueueAndHeldIndexes } from "../../../support/store-indexes.ts";
import { sessionRecord } from "../../../support/session-record.ts";

const id = (n: number) => `${"S".repeat(20)}${String(n).padStart(2, "0")}` as SessionId;

const record = (n: number, over: Partial<SessionRecord> = {}): SessionRecord =>
  sessionRecord(id(n), { queuedAt: n, expiresAt: 10_000, ...over });

describe("MemoryStore", () => {
  it("creates once and updates only with the next version (compare-and-set)", async () => {
    const store = new MemoryStore(() => 0);
    expect(await store.createSession(record(1))).toBe(true);
    expect(await store.createSession(record(1))).toBe(false);
    expect(await store.updateSession(record(1, { version: 1, state: "assigned" }))).toBe(true);
    // A writer that read version 0 loses.
    expect(await store.updateSession(record(1, { version: 1, state: "active" }))).toBe(false);
    expect((await store.getSession(id(1)))?.state).toBe("assigned");
    expect(await store.sessionVersion(id(1))).toBe(1);
    expect(await store.updateSession(record(2, { version: 1 }))).toBe(false);
    expect(await store.sessionVersion(id(2))).toBeNull();
  });

  it("hands the deleted record, as last written, to exactly one of several concurrent deleters", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    await store.createSession(record(1));
    const assigned = record(1, { version: 1, state: "assigned", counselor: "c1" as StaffId, assignedAt: 5 });
    expect(await store.updateSession(assigned)).toBe(true);
    // Conditional on a version written over since: left as it is.
    expect(await store.deleteSession(id(1), 0)).toBeNull();
    expect(await store.getSession(id(1))).toEqual(assigned);
    const results = await Promise.all([1, 2, 3, 4].map(() => store.deleteSession(id(1))));
    expect(results.filter((r) => r !== null)).toEqual([assigned]);
    expect(await store.getSession(id(1))).toBeNull();
    // An expired record is nobody's to end.
    await store.createSession(record(2, { expiresAt: 100 }));
    now = 100;
    expect(await store.deleteSession(id(2))).toBeNull();
  });

  it("keeps side conversations with the same compare-and-set, single delete and expiry", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    const side: SideRecord = {
      id: "Q".repeat(22) as SideId,
      version: 0,
      counselor: "c1" as StaffId,
      counselorName: "C",
      sessionId: id(1),
      askedAt: 0,
      supervisor: null,
      phase: "asked",
      expiresAt: 100,
    };
    expect(await store.createSide(side)).toBe(true);
    expect(await store.createSide(side)).toBe(false);
    const opened = { ...side, version: 1, supervisor: "s1" as StaffId, phase: "offered" as const };
    expect(await store.updateSide(opened)).toBe(true);
    // A second opener that read version 0 loses.
    expect(await store.updateSide({ ...opened, supervisor: "s2" as StaffId })).toBe(false);
    expect(await store.listSides()).toEqual([opened]);
    expect(await store.deleteSide(side.id)).toBe(true);
    expect(await store.deleteSide(side.id)).toBe(false);
    await store.createSide(side);
    now = 100;
    expect(await store.getSide(side.id)).toBeNull();
    expect(await store.listSides()).toEqual([]);
  });

  it("hides and drops expired sessions", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    await store.createSession(record(1, { expiresAt: 100 }));
    expect(await store.getSession(id(1))).not.toBeNull();
    now = 100;
    expect(await store.getSession(id(1))).toBeNull();
    expect(await store.listSessions()).toEqual([]);
    expect(await store.createSession(record(1, { expiresAt: 200 }))).toBe(true);
  });

  it("keeps queues in queuedAt order and lets exactly one caller claim an entry", async () => {
    const store = new MemoryStore(() => 0);
    await store.enqueue("en:default", id(3), 30);
    await store.enqueue("en:default", id(1), 10);
    await store.enqueue("ur:default", id(2), 20);
    expect(await store.queueIds("en:default")).toEqual([id(1), id(3)]);
    expect([...(await store.queueNames())].sort()).toEqual(["en:default", "ur:default"]);
    const claims = await Promise.all([
      store.dequeue("en:default", id(1)),
      store.dequeue("en:default", id(1)),
    ]);
    expect(claims.sort()).toEqual([false, true]);
    await store.dequeue("ur:default", id(2));
    expect(await store.queueNames()).toEqual(["en:default"]);
  });

  it("indexes sessions by counselor and keeps presence", async () => {
    const store = new MemoryStore(() => 0);
    await store.createSession(record(1, { counselor: "alice" as StaffId }));
    await store.createSession(record(2, { counselor: "bob" as StaffId }));
    expect((await store.sessionsOf("alice" as StaffId)).map((s) => s.id)).toEqual([id(1)]);
    const p = {
      id: "alice" as StaffId,
      displayName: "A",
      role: "counselor" as const,
      certified: true,
      chatLimit: 2,
      languages: ["en", "ur"] as const,
      status: "away" as const,
      connections: 1,
      disconnectedAt: null,
    };
    await store.putStaff(p);
    expect(await store.getStaff(p.id)).toEqual(p);
    await store.deleteStaff(p.id);
    expect(await store.listStaff()).toEqual([]);
  });

  it("spends a challenge once until it expires, and stays bounded", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    expect(await store.markSpent("a", 100)).toBe(true);
    expect(await store.markSpent("a", 100)).toBe(false);
    now = 100;
    expect(await store.markSpent("a", 200)).toBe(true);
    for (let i = 0; i < MAX_SPENT_CHALLENGES; i++) await store.markSpent(`k${i}`, 1000);
    // Full of live entries: refuse rather than grow.
    expect(await store.markSpent("overflow", 1000)).toBe(false);
    expect((await store.counts()).spent).toBeLessThanOrEqual(MAX_SPENT_CHALLENGES);
    // Once they expire, room is made again.
    now = 1000;
    expect(await store.markSpent("later", 2000)).toBe(true);
    expect((await store.counts()).spent).toBe(1);
  });

  it("redeems a wrap-up token once, only for its staff member, until it expires", async () => {
    let t = 0;
    const store = new MemoryStore(() => t);
    const alice = "alice" as StaffId;
    const bob = "bob" as StaffId;
    expect(await store.issueWrapup(alice, "h1", 1000)).toBe(true);
    expect(await store.issueWrapup(alice, "h2", 1000)).toBe(true);
    expect(await store.redeemWrapup(bob, "h1")).toBe(false);
    expect(await store.redeemWrapup(alice, "h1")).toBe(true);
    expect(await store.redeemWrapup(alice, "h1")).toBe(false);
    expect(await store.redeemWrapup(alice, "unknown")).toBe(false);
    t = 1000;
    expect(await store.redeemWrapup(alice, "h2")).toBe(false);
  });

  it("keeps queue entries with their info and an index of held sessions", async () => {
    await checkQueueAndHeldIndexes(new MemoryStore(() => 0), record);
  });

  it("reads for the sweep only the sessions that can be due", async () => {
    await checkDueIndexes(new MemoryStore(() => 0), record);
  });

  it("gives back a client's stale queue places and takes one in a single step", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    for (const n of [1, 2, 3]) await store.createSession(record(n));
    expect(await store.holdPlace("c", id(1), 2, 100)).toBe(true);
    expect(await store.holdPlace("c", id(2), 2, 50)).toBe(true);
    expect(await store.holdPlace("c", id(3), 2, 100)).toBe(false);
    // A place whose session is no longer waiting, is gone, or whose place expired is given back.
    await store.updateSession(record(1, { version: 1, state: "assigned" }));
    expect(await store.holdPlace("c", id(3), 2, 100)).toBe(true);
    await store.createSession(record(4));
    expect(await store.holdPlace("c", id(4), 2, 100)).toBe(false);
    now = 50;
    expect(await store.holdPlace("c", id(4), 2, 100)).toBe(true);
    await store.createSession(record(5));
    await store.deleteSession(id(3));
    // Two callers racing for the place the gone session held: one wins.
    await store.createSession(record(6));
    const race = await Promise.all([
      store.holdPlace("c", id(5), 2, 100),
      store.holdPlace("c", id(6), 2, 100),
    ]);
    expect(race).toEqual([true, false]);
  });

  it("clears everything", async () => {
    const store = new MemoryStore(() => 0);
    await store.createSession(record(1));
    await store.enqueue("en:default", id(1), 1);
    await store.markSpent("x", 10);
    await store.clear();
    expect(await store.counts()).toEqual({ sessions: 0, queued: 0, staff: 0, spent: 0 });
  });
});
