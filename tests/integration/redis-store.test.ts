import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisLoginLimiter } from "../../server/auth/redis-login-limiter.ts";
import { createRedisSessionStore } from "../../server/auth/redis-sessions.ts";
import { createLoginLimiter } from "../../server/auth/login-limiter.ts";
import { Admission } from "../../server/relay/admission.ts";
import { connectRedis, type RedisConnection } from "../../server/state/redis-connection.ts";
import { NODE_TIMEOUT_MS, RedisStore } from "../../server/state/redis-store.ts";
import type { SessionRecord, SideRecord, StaffPresence } from "../../server/state/records.ts";
import type { DeskId, SessionId, SideId, StaffId } from "../../shared/protocol/index.ts";
import { needService, redisUrl } from "../support/services.ts";
import { checkDueIndexes, checkQueueAndHeldIndexes } from "../support/store-indexes.ts";
import { sessionRecord } from "../support/session-record.ts";

const run = await needService("redis");
const id = (n: number) => `${"R".repeat(20)}${String(n).padStart(2, "0")}` as SessionId;
const T0 = Date.now();

const record = (n: number, over: Partial<SessionRecord> = {}): SessionRecord =>
  sessionRecord(id(n), {
    // Real bytes, a handover note and a handshake: every encoded field goes through Redis.
    survivorKey: new Uint8Array(randomBytes(32)),
    resumeTokenHash: new Uint8Array(randomBytes(32)),
    transfer: { from: "x" as StaffId, fromName: "X", note: new Uint8Array([1, 2, 3]) },
    handshake: new Uint8Array([9, 9]),
    queuedAt: n,
    expiresAt: T0 + 60_000,
    ...over,
  });

const presence = (over: Partial<StaffPresence> = {}): StaffPresence => ({
  id: "alice" as StaffId,
  displayName: "A",
  role: "counselor",
  certified: true,
  chatLimit: 2,
  languages: ["en", "ur"],
  status: "available",
  connections: 1,
  disconnectedAt: null,
  ...over,
});

/** The RelayStore contract on the shared Redis, under a prefix of its own (never FLUSHDB). */
describe.runIf(run)("RedisStore (shared Redis, own prefix)", () => {
  let redis: RedisConnection;
  const prefix = `t${randomBytes(6).toString("hex")}:`;
  const clock = { t: T0 };
  const store = (node = "n1") =>
    new RedisStore({ redis: redis.commands, prefix, nodeId: node, now: () => clock.t });
  const keys = async () =>
    ((await redis.commands.send(["KEYS", `${prefix}*`])) as string[])
      .map((k) => k.slice(prefix.length))
      .sort();

  beforeAll(async () => {
    redis = await connectRedis(redisUrl, () => {});
  });
  afterAll(async () => {
    await store().clear();
    await redis?.close();
  });

  it("round-trips records and compare-and-sets on version", async () => {
    const s = store();
    const r = record(1);
    expect(await s.createSession(r)).toBe(true);
    expect(await s.createSession(r)).toBe(false);
    expect(await s.getSession(r.id)).toEqual(r);
    expect(await s.updateSession({ ...r, version: 1, state: "assigned" })).toBe(true);
    expect(await s.updateSession({ ...r, version: 1, state: "active" })).toBe(false);
    expect((await s.getSession(r.id))?.state).toBe("assigned");
    // The version alone, for a node that kept the record's routing fields.
    expect(await s.sessionVersion(r.id)).toBe(1);
    // Every key has an expiry.
    for (const k of await keys())
      expect(Number(await redis.commands.send(["PTTL", prefix + k]))).toBeGreaterThan(0);
    // A delete conditional on a version written over since leaves the record as it is.
    expect(await s.deleteSession(r.id, 0)).toBeNull();
    expect((await s.getSession(r.id))?.version).toBe(1);
    expect(await s.deleteSession(r.id, 1)).toEqual({ ...r, version: 1, state: "assigned" });
    expect(await s.deleteSession(r.id)).toBeNull();
    expect(await s.sessionVersion(r.id)).toBeNull();
    expect(await s.listSessions()).toEqual([]);
    // A previous resume token's hash keeps its deadline, for every node to enforce.
    const kept = record(2, {
      previousTokenHash: new Uint8Array(randomBytes(32)),
      previousTokenUntil: T0 + 1234,
    });
    expect(await s.createSession(kept)).toBe(true);
    expect(await store("n2").getSession(kept.id)).toEqual(kept);
    expect(await s.deleteSession(kept.id)).toEqual(kept);
  });

  it("keeps the index keys of a live record alive with each write, not only with a join", async () => {
    const s = store();
    const r = record(40, { transfer: null });
    const q = `${r.language}:${r.team}`;
    expect(await s.createSession(r)).toBe(true);
    await s.enqueue(q, r.id, r.queuedAt, { language: "en", partner: r.partner, transferFrom: null });
    await s.connectStaff(presence({ id: "ttl-staff" as StaffId }));
    const indexes = ["sessions", `queue:${q}`, `queue-info:${q}`, "queues", "staff-ids"];
    const pttl = async (k: string) => Number(await redis.commands.send(["PTTL", prefix + k]));
    // A day has nearly passed since the join: a second of each index's expiry is left.
    for (const k of indexes) await redis.commands.send(["PEXPIRE", prefix + k, "1000"]);
    // A keep-alive (a write of the waiting record) and a heartbeat push them a day on again.
    expect(await s.updateSession({ ...r, version: 1, lastActivity: 5 })).toBe(true);
    await s.heartbeat();
    for (const k of indexes) expect(await pttl(k), k).toBeGreaterThan(23 * 60 * 60_000);
    // Assigned: the held indexes carry the expiry from then on; the sessions set still does.
    await redis.commands.send(["PEXPIRE", `${prefix}sessions`, "1000"]);
    const assigned = { ...r, version: 2, state: "assigned" as const, counselor: "c9" as StaffId };
    expect(await s.updateSession(assigned)).toBe(true);
    expect(await pttl("sessions")).toBeGreaterThan(23 * 60 * 60_000);
    expect(await s.deleteSession(r.id)).not.toBeNull();
    await s.dequeue(q, r.id);
    await s.disconnectStaff("ttl-staff" as StaffId, clock.t);
    await s.deleteStaff("ttl-staff" as StaffId);
  });

  it("hands the deleted record, as last written, to exactly one of several nodes deleting at once", async () => {
    const nodes = [store("a"), store("b"), store("c"), store("d")];
    const r = record(8);
    expect(await nodes[0]?.createSession(r)).toBe(true);
    // Assigned on one node just before the others end it: the deleter sees the assignment.
    const assigned = {
      ...r,
      version: 1,
      state: "assigned" as const,
      counselor: "c1" as StaffId,
      assignedAt: T0,
    };
    expect(await nodes[1]?.updateSession(assigned)).toBe(true);
    const results = await Promise.all(nodes.map((n) => n.deleteSession(r.id)));
    expect(results.filter((x) => x !== null)).toEqual([assigned]);
    expect(await nodes[2]?.getSession(r.id)).toBeNull();
    expect(await keys()).not.toContain(`session:${r.id}`);
    expect(await nodes[3]?.listSessions()).toEqual([]);
  });

  it("shares side conversations across nodes: one opener wins, one deleter tells, every key expires", async () => {
    const [a, b] = [store("a"), store("b")];
    const side: SideRecord = {
      id: "Q".repeat(22) as SideId,
      version: 0,
      counselor: "c1" as StaffId,
      counselorName: "C",
      sessionId: id(7),
      askedAt: T0,
      supervisor: null,
      phase: "asked",
      expiresAt: T0 + 60_000,
    };
    expect(await a.createSide(side)).toBe(true);
    expect(await b.createSide(side)).toBe(false);
    expect(await b.getSide(side.id)).toEqual(side);
    const open = (node: RedisStore, by: string) =>
      node.updateSide({ ...side, version: 1, supervisor: by as StaffId, phase: "offered" });
    expect((await Promise.all([open(a, "s1"), open(b, "s2")])).sort()).toEqual([false, true]);
    expect((await a.listSides()).map((r) => r.phase)).toEqual(["offered"]);
    for (const k of await keys())
      expect(Number(await redis.commands.send(["PTTL", prefix + k]))).toBeGreaterThan(0);
    expect((await Promise.all([a.deleteSide(side.id), b.deleteSide(side.id)])).sort()).toEqual([false, true]);
    expect(await b.listSides()).toEqual([]);
  });

  it("keeps queue entries with their info and an index of held sessions, for every node", async () => {
    await checkQueueAndHeldIndexes(store("a"), (n, over) => record(60 + n, { transfer: null, ...over }));
  });

  it("reads for the sweep only the sessions that can be due, from indexes every node keeps", async () => {
    await store().clear();
    await checkDueIndexes(store("a"), (n, over) => record(80 + n, { transfer: null, ...over }));
  });

  it("keeps the sweep's indexes as ids and numbers with an expiry, and prunes an expired record's id", async () => {
    const s = store();
    await s.clear();
    const idle = record(90, { state: "active", counselor: "c" as StaffId, lastActivity: 7 });
    const gone = record(91, { survivorSocket: null, survivorDisconnectedAt: 8 });
    for (const r of [idle, gone]) expect(await s.createSession(r)).toBe(true);
    const raw = (args: string[]) => redis.commands.send(args);
    expect(await raw(["ZRANGE", `${prefix}sessions-by-activity`, "0", "-1", "WITHSCORES"])).toEqual([
      idle.id,
      "7",
    ]);
    expect(await raw(["ZRANGE", `${prefix}sessions-by-disconnect`, "0", "-1", "WITHSCORES"])).toEqual([
      gone.id,
      "8",
    ]);
    expect(await raw(["SMEMBERS", `${prefix}waiting-sessions`])).toEqual([gone.id]);
    for (const k of ["sessions-by-activity", "sessions-by-disconnect", "waiting-sessions"])
      expect(Number(await raw(["PTTL", prefix + k])), k).toBeGreaterThan(23 * 60 * 60_000);
    // A delete takes its id out in the same step (no read needed to prune it).
    expect((await s.deleteSession(idle.id))?.id).toBe(idle.id);
    expect(await raw(["ZSCORE", `${prefix}sessions-by-activity`, idle.id])).toBeNull();
    expect(await s.createSession(idle)).toBe(true);
    // The store dropped both records (their expiry): the next read prunes their ids.
    await raw(["DEL", `${prefix}session:${idle.id}`, `${prefix}session:${gone.id}`]);
    expect(await s.dueSessions({ idleBefore: 10, disconnectedBefore: 10 })).toEqual([]);
    for (const k of ["sessions-by-activity", "sessions-by-disconnect", "waiting-sessions"])
      expect(Number(await raw(["EXISTS", prefix + k])), k).toBe(0);
  });

  it("lets exactly one of two nodes claim a queue entry, a timer or a challenge", async () => {
    const [a, b] = [store("a"), store("b")];
    await a.enqueue("en:default", id(3), 30);
    await a.enqueue("en:default", id(2), 20);
    expect(await b.queueIds("en:default")).toEqual([id(2), id(3)]);
    const claims = await Promise.all([a.dequeue("en:default", id(2)), b.dequeue("en:default", id(2))]);
    expect(claims.sort()).toEqual([false, true]);
    expect((await Promise.all([a.claimTimer("sweep", 5000), b.claimTimer("sweep", 5000)])).sort()).toEqual([
      false,
      true,
    ]);
    expect(
      (await Promise.all([a.markSpent("pow:x", T0 + 5000), b.markSpent("pow:x", T0 + 5000)])).sort(),
    ).toEqual([false, true]);
    await a.dequeue("en:default", id(3));
    expect(await a.queueNames()).toEqual([]);
  });

  it("spends a wrap-up token once across nodes, only for its staff member, and lets it expire", async () => {
    const [a, b] = [store("a"), store("b")];
    const alice = "alice" as StaffId;
    expect(await a.issueWrapup(alice, "hash-1", Date.now() + 60_000)).toBe(true);
    expect(await b.redeemWrapup("bob" as StaffId, "hash-1")).toBe(false);
    const claims = await Promise.all([a.redeemWrapup(alice, "hash-1"), b.redeemWrapup(alice, "hash-1")]);
    expect(claims.sort()).toEqual([false, true]);
    // Keyed by staff id and token hash only, with an expiry (Redis's own clock).
    expect(await a.issueWrapup(alice, "hash-2", Date.now() + 60_000)).toBe(true);
    expect(await keys()).toContain("wrapup:alice:hash-2");
    expect(Number(await redis.commands.send(["PTTL", `${prefix}wrapup:alice:hash-2`]))).toBeGreaterThan(0);
    expect(await a.issueWrapup(alice, "hash-3", Date.now() - 1)).toBe(true);
    expect(await b.redeemWrapup(alice, "hash-3")).toBe(false);
  });

  it("shares the join rate and the per-client queue places across nodes, with expiring keys", async () => {
    const [a, b] = [store("a"), store("b")];
    const secret = new Uint8Array(randomBytes(32));
    const [onA, onB] = [new Admission(secret, a), new Admission(secret, b)];
    // Both nodes count the same joins: three on A, two on B, read the same on each.
    const now = Date.now();
    for (let i = 0; i < 3; i++) await onA.noteAttempt(now);
    for (let i = 0; i < 2; i++) await onB.noteAttempt(now);
    await onA.refresh(now);
    expect(onA.joinsPerMinute()).toBeGreaterThanOrEqual(5);
    expect(onB.joinsPerMinute()).toBe(onA.joinsPerMinute());
    // One address, keyed identically on both nodes (shared secret); never the address in a key.
    const client = onA.clientKey("198.51.100.7", now);
    expect(onB.clientKey("198.51.100.7", now)).toBe(client);
    // A place counts while its session's record is waiting (written before the place is taken).
    const waiting = async (n: number) =>
      expect(await a.createSession(record(n, { survivorSocket: null }))).toBe(true);
    const assigned = async (n: number) => {
      const r = await a.getSession(id(n));
      if (!r) throw new Error("no record");
      expect(await a.updateSession({ ...r, version: r.version + 1, state: "assigned" })).toBe(true);
    };
    for (let n = 40; n < 44; n++) {
      const node = n % 2 === 0 ? onA : onB;
      await waiting(n);
      expect(await node.take(client, id(n), now, 4)).toBe(true);
    }
    // The fifth place is refused on either node.
    await waiting(44);
    expect(await onA.take(client, id(44), now, 4)).toBe(false);
    expect(await onB.take(client, id(44), now, 4)).toBe(false);
    // A place freed on B (assigned there) is free for A; a place of a chat no longer waiting, or
    // gone, is given back by the next take, on any node.
    await onB.release(id(41));
    await waiting(45);
    expect(await onA.take(client, id(45), now, 4)).toBe(true);
    await assigned(42);
    await waiting(46);
    expect(await onB.take(client, id(46), now, 4)).toBe(true);
    expect(await onA.take(client, id(44), now, 4)).toBe(false);
    await a.deleteSession(id(43));
    // Racing nodes cannot both take the place the gone session held: the prune and the take are
    // one step, so the second sees the first's place.
    await waiting(47);
    await waiting(48);
    const race = await Promise.all([
      a.holdPlace(client, id(47), 4, now + 60_000),
      b.holdPlace(client, id(48), 4, now + 60_000),
    ]);
    expect(race.filter(Boolean)).toHaveLength(1);
    // Nor can one prune a place the other has just taken for a session whose record is written.
    await waiting(49);
    expect(await b.holdPlace(client, id(49), 4, now + 60_000)).toBe(false);
    for (const n of [40, 41, 42, 44, 45, 46, 47, 48, 49]) await a.deleteSession(id(n));
    const stored = await keys();
    expect(stored.some((k) => k.includes("198.51.100.7"))).toBe(false);
    for (const k of stored.filter((k) => k.startsWith("places:") || k.startsWith("joins:")))
      expect(Number(await redis.commands.send(["PTTL", prefix + k]))).toBeGreaterThan(0);
  });

  it("counts a staff member's sockets per node and forgets a dead node's", async () => {
    const [a, b] = [store("a"), store("b")];
    await a.heartbeat();
    await b.heartbeat();
    expect(await a.connectStaff(presence({ status: "away" }))).toBe(0);
    expect(await b.connectStaff(presence({ status: "away" }))).toBe(1);
    await a.putStaff({ ...(await a.getStaff("alice" as StaffId))!, status: "available" });
    expect(await b.getStaff("alice" as StaffId)).toMatchObject({ connections: 2, status: "available" });
    expect((await a.disconnectStaff("alice" as StaffId, clock.t))?.connections).toBe(1);
    // Node b stops beating (SIGKILL): its socket stops counting, disconnected since its last beat.
    const lastBeat = clock.t;
    clock.t += NODE_TIMEOUT_MS + 1;
    await a.heartbeat();
    expect(await a.getStaff("alice" as StaffId)).toMatchObject({ connections: 0, disconnectedAt: lastBeat });
    await a.deleteStaff("alice" as StaffId);
    expect(await a.listStaff()).toEqual([]);
  });

  it("notices Redis losing its data at the next beat; a node that connects a counselor counts as alive before its beat reaches the emptied Redis", async () => {
    const [a, b] = [store("a"), store("b")];
    expect(await a.heartbeat()).toBe(false);
    expect(await b.heartbeat()).toBe(false);
    expect(await a.heartbeat()).toBe(false);
    // Redis restarted without persistence: every key of this deployment is gone.
    await a.clear();
    // Node a connects a counselor before its next beat; node b (which runs the sweep) must see
    // that socket, or it would release the counselor and delete their presence at once.
    await a.connectStaff(presence({ id: "bilal" as StaffId, status: "away" }));
    expect(await b.getStaff("bilal" as StaffId)).toMatchObject({ connections: 1, disconnectedAt: null });
    // Both nodes learn of the loss at their next beat, once each.
    expect(await b.heartbeat()).toBe(true);
    expect(await a.heartbeat()).toBe(true);
    expect(await a.heartbeat()).toBe(false);
    expect(await b.heartbeat()).toBe(false);
    await a.disconnectStaff("bilal" as StaffId, clock.t);
    await a.deleteStaff("bilal" as StaffId);
  });

  it("keeps each staff member's languages for routing, every language for a profile written without them", async () => {
    const [a, b] = [store("a"), store("b")];
    await a.heartbeat();
    await b.heartbeat();
    await a.connectStaff(presence({ id: "urdu" as StaffId, languages: ["ur"] }));
    await a.connectStaff(presence({ id: "both" as StaffId }));
    expect(await b.getStaff("urdu" as StaffId)).toMatchObject({ languages: ["ur"], connections: 1 });
    await b.putStaff({ ...(await b.getStaff("urdu" as StaffId))!, status: "away" });
    expect(await a.getStaff("urdu" as StaffId)).toMatchObject({ languages: ["ur"], status: "away" });
    expect(Object.fromEntries((await b.listStaff()).map((p) => [p.id, p.languages]))).toEqual({
      urdu: ["ur"],
      both: ["en", "ur"],
    });
  });

  it("keeps the desk holding a staff member's chats for every node; a newer desk replaces it", async () => {
    const [a, b] = [store("a"), store("b")];
    await a.heartbeat();
    await b.heartbeat();
    const first = "ZGVzay1hLWRlc2stYS0wMQ" as DeskId;
    const second = "ZGVzay1iLWRlc2stYi0wMg" as DeskId;
    await a.connectStaff(presence({ id: "desk" as StaffId, desk: first }));
    expect(await b.getStaff("desk" as StaffId)).toMatchObject({ desk: first, connections: 1 });
    await b.connectStaff(presence({ id: "desk" as StaffId, desk: second }), true);
    await a.putStaff({ ...(await a.getStaff("desk" as StaffId))!, status: "available" });
    expect(await b.getStaff("desk" as StaffId)).toMatchObject({ desk: second, status: "available" });
    // A write from a read taken before the newer desk (a status change, a reconnection checked
    // just before the takeover) keeps the newer desk; only a desk-taking connection moves it.
    await a.putStaff(presence({ id: "desk" as StaffId, desk: first, status: "away" }));
    await a.connectStaff(presence({ id: "desk" as StaffId, desk: first }));
    expect(await b.getStaff("desk" as StaffId)).toMatchObject({ desk: second, status: "away" });
    await a.connectStaff(presence({ id: "desk" as StaffId, desk: first }), true);
    expect(await b.getStaff("desk" as StaffId)).toMatchObject({ desk: first });
  });

  it("keeps login sessions and login counters for every node", async () => {
    const times = { idleMs: 60_000, absoluteMs: 120_000 };
    const one = createRedisSessionStore(redis.commands, prefix, () => clock.t, times);
    const two = createRedisSessionStore(redis.commands, prefix, () => clock.t, times);
    const { token } = await one.create("bob" as StaffId);
    expect((await two.get(token))?.staffId).toBe("bob");
    expect(await two.countFor("bob" as StaffId)).toBe(1);
    const session = await one.get(token);
    expect(await two.deleteStaff("bob" as StaffId)).toEqual([session?.id]);
    expect(await one.get(token)).toBeNull();
    // A login past its end is reported once, by whichever node sweeps first (an idle one's key
    // expires in Redis's own time, which this fake clock does not move).
    const second = await one.create("bob" as StaffId);
    clock.t += times.absoluteMs + 1;
    const swept = [...(await one.sweep()), ...(await two.sweep())];
    expect(swept).toEqual([second.session.id]);
    const policy = {
      maxFailuresPerUser: 2,
      maxFailuresPerClient: 10,
      maxFailuresPerDevice: 2,
      windowMs: 60_000,
      lockoutMs: 60_000,
    };
    const secret = new Uint8Array(32);
    const mk = () =>
      createRedisLoginLimiter(
        redis.commands,
        prefix,
        createLoginLimiter(secret, () => clock.t),
        () => clock.t,
        policy,
      );
    const [l1, l2] = [mk(), mk()];
    // Counted before the check, on whichever node: the second attempt locks the username.
    expect(await l1.begin({ username: "carol", client: "c1", device: null })).toBe(true);
    expect(await l2.isLocked("carol", "c2")).toBe(false);
    expect(await l2.begin({ username: "carol", client: "c2", device: null })).toBe(true);
    expect(await l1.isLocked("carol", "c3")).toBe(true);
    expect(await l1.begin({ username: "carol", client: "c3", device: null })).toBe(false);
    // A known device is counted on its own, so carol's lockout does not stop her own computer,
    // and a correct login forgives it.
    const device = { username: "carol", client: "c3", device: "dev-1" };
    expect(await l2.begin(device)).toBe(true);
    await l1.succeed(device);
    expect(await l2.begin(device)).toBe(true);
    expect(await l2.begin(device)).toBe(true);
    // Its second failure in the window locks the device; then it counts like any unknown one.
    expect(await l1.begin(device)).toBe(false);
    // No username in any key.
    expect((await keys()).join()).not.toContain("carol");
  });
});
