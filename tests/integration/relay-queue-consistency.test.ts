import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { queueInfo } from "../../server/relay/broadcast.ts";
import { MemoryStore } from "../../server/state/memory-store.ts";
import type { SessionRecord } from "../../server/state/records.ts";
import { connectRedis, type RedisConnection } from "../../server/state/redis-connection.ts";
import { RedisStore } from "../../server/state/redis-store.ts";
import { isSweepCandidate, type RelayStore } from "../../server/state/store.ts";
import type { Reply, SessionId, StaffId, SurvivorEnded } from "../../shared/protocol/index.ts";
import {
  collect,
  connectStaff,
  dropNetwork,
  type Joined,
  joinAsSurvivor,
  next,
  opaque,
  request,
} from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";
import { needService, redisUrl } from "../support/services.ts";

const redisRuns = await needService("redis");

/** Short deadlines so the sweep runs every 100 ms (real time); the relay's clock is moved by hand. */
const IDLE_MS = 2_000;
const GRACE_MS = 400;
const SILENCE_MS = 30_000;
/** What a write's `expiresAt` is ahead of the relay's clock (server/relay/context.ts, recordExpiry). */
const LIFE_MS = IDLE_MS + GRACE_MS + 60_000;

type Kind = "memory" | "redis";

/**
 * The indexes a push or a claim reads instead of the records (queue entries with their info,
 * held sessions, each counselor's held sessions) against the records themselves, on a quiet node.
 * An entry whose record the store has just dropped (expiry) is allowed once: the sweep that
 * follows must remove it. With Redis, the raw keys too: the info hash beside each queue holds
 * exactly its members, and each record's key expires when its last write said (a keep-alive
 * pushes it).
 */
async function inconsistencies(
  store: RelayStore,
  staff: readonly StaffId[],
  orphansBefore: Set<SessionId>,
  raw: RawRedis | null,
): Promise<{ problems: string[]; orphans: Set<SessionId> }> {
  const problems: string[] = [];
  const sessions = await store.listSessions();
  const queues = new Map<string, Awaited<ReturnType<RelayStore["queueEntries"]>>>();
  for (const name of await store.queueNames()) {
    const entries = await store.queueEntries(name);
    if (entries.length === 0) problems.push(`queue ${name} is listed without an entry`);
    queues.set(name, entries);
  }
  for (const s of sessions) {
    if (s.state !== "waiting") continue;
    const entry = queues.get(`${s.language}:${s.team}`)?.find((e) => e.id === s.id);
    if (!entry) problems.push(`waiting ${s.id} is missing from its queue`);
    else if (entry.queuedAt !== s.queuedAt || JSON.stringify(entry.info) !== JSON.stringify(queueInfo(s)))
      problems.push(`queue entry of ${s.id} disagrees with its record`);
  }
  const orphans = new Set<SessionId>();
  for (const entries of queues.values()) {
    for (const e of entries) {
      if ((await store.getSession(e.id))?.state === "waiting") continue;
      orphans.add(e.id);
      if (orphansBefore.has(e.id)) problems.push(`queue entry ${e.id} outlived its record by a sweep`);
    }
  }
  const ids = (rs: readonly SessionRecord[]) => rs.map((r) => r.id).sort();
  const held = sessions.filter((s) => s.state !== "waiting");
  if (JSON.stringify(ids(await store.heldSessions())) !== JSON.stringify(ids(held)))
    problems.push("heldSessions disagrees with the records");
  for (const id of staff) {
    const theirs = held.filter((s) => s.counselor === id || s.transferTo === id);
    if (JSON.stringify(ids(await store.heldSessionsOf(id))) !== JSON.stringify(ids(theirs)))
      problems.push(`heldSessionsOf(${id}) disagrees with the records`);
  }
  // The sweep's read: exactly the records a pass over all of them finds due, at any deadline.
  for (const at of [
    0,
    ...sessions.map((s) => s.lastActivity),
    ...sessions.map((s) => s.survivorDisconnectedAt ?? 0),
  ]) {
    for (const query of [
      { idleBefore: at, disconnectedBefore: 0 },
      { idleBefore: 0, disconnectedBefore: at },
    ]) {
      const expected = ids(sessions.filter((s) => isSweepCandidate(s, query)));
      if (JSON.stringify(ids(await store.dueSessions(query))) !== JSON.stringify(expected))
        problems.push(`dueSessions(${JSON.stringify(query)}) disagrees with the records`);
    }
  }
  if (
    JSON.stringify(ids(await store.waitingSessions())) !==
    JSON.stringify(ids(sessions.filter((s) => s.state === "waiting")))
  )
    problems.push("waitingSessions disagrees with the records");
  if (raw) problems.push(...(await raw.check(sessions)));
  return { problems, orphans };
}

/** Reads Redis under the test's prefix directly, and plays Redis's clock for record keys. */
class RawRedis {
  readonly redis: RedisConnection;
  readonly prefix: string;

  constructor(redis: RedisConnection, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  send = (...args: string[]) => this.redis.commands.send(args);

  async keys(pattern: string): Promise<string[]> {
    return ((await this.send("KEYS", `${this.prefix}${pattern}`)) as string[]).sort();
  }

  async check(sessions: readonly SessionRecord[]): Promise<string[]> {
    const problems: string[] = [];
    for (const name of (await this.send("SMEMBERS", `${this.prefix}queues`)) as string[]) {
      const members = (
        (await this.send("ZRANGE", `${this.prefix}queue:${name}`, "0", "-1")) as string[]
      ).sort();
      const infos = ((await this.send("HKEYS", `${this.prefix}queue-info:${name}`)) as string[]).sort();
      if (JSON.stringify(members) !== JSON.stringify(infos))
        problems.push(`queue ${name}: info hash ${infos} beside members ${members}`);
    }
    // The sweep's indexes hold each live record as its last write left it (ids of records the
    // store has just dropped may linger until the sweep's next read prunes them).
    const p = this.prefix;
    for (const s of sessions) {
      const activity = await this.send("ZSCORE", `${p}sessions-by-activity`, s.id);
      const gone = await this.send("ZSCORE", `${p}sessions-by-disconnect`, s.id);
      const waiting = Number(await this.send("SISMEMBER", `${p}waiting-sessions`, s.id)) === 1;
      const disconnectedAt = s.survivorSocket === null ? s.survivorDisconnectedAt : null;
      if (waiting !== (s.state === "waiting") || (activity === null) !== (s.state === "waiting"))
        problems.push(`session ${s.id} (${s.state}) is in the wrong deadline index`);
      else if (activity !== null && Number(activity) !== s.lastActivity)
        problems.push(`session ${s.id} scored ${activity} for its activity at ${s.lastActivity}`);
      if ((gone === null ? null : Number(gone)) !== disconnectedAt)
        problems.push(`session ${s.id} scored ${gone} for its disconnection at ${disconnectedAt}`);
    }
    for (const s of sessions) {
      const at = Number(await this.send("PEXPIRETIME", `${this.prefix}session:${s.id}`));
      if (at !== s.expiresAt)
        problems.push(`session ${s.id} key expires at ${at}, its record at ${s.expiresAt}`);
    }
    return problems;
  }

  /** Redis drops a record key when its PXAT passes; the relay's clock runs ahead of Redis's here. */
  async expireUpTo(now: number): Promise<void> {
    for (const key of await this.keys("session:*")) {
      const at = Number(await this.send("PEXPIRETIME", key));
      if (at > 0 && at <= now) await this.send("DEL", key);
    }
  }
}

describe.each(["memory", "redis"] as const)("relay indexes against records (%s store)", (kind: Kind) => {
  let harness: Harness<RelayStore> | undefined;
  let redis: RedisConnection | undefined;
  let raw: RawRedis | null = null;
  const sockets: { close: () => void }[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await harness?.close();
    harness = undefined;
    if (raw) for (const key of await raw.keys("*")) await raw.send("DEL", key);
    await redis?.close();
    redis = undefined;
    raw = null;
  });

  it.runIf(kind === "memory" || redisRuns)(
    "agree after every keep-alive, clock step, sweep, join, leave, assignment and return to the queue",
    async () => {
      // Redis keeps its own clock: the relay's runs an hour ahead, so no key expires on its own,
      // and a record key is dropped (as Redis would) once the relay's clock passes its PXAT.
      let now = Date.now() + (kind === "redis" ? 3_600_000 : 0);
      const clock = () => now;
      let inner: RelayStore;
      if (kind === "redis") {
        redis = await connectRedis(redisUrl, () => {});
        const prefix = `t${randomBytes(6).toString("hex")}:`;
        raw = new RawRedis(redis, prefix);
        inner = new RedisStore({ redis: redis.commands, prefix, nodeId: "n1", now: clock });
      } else inner = new MemoryStore(clock);

      // Every sweep starts inside the node's serial queue (claimTimer is its first call), when no
      // other task of this node is half done: the checks, and the clock's steps, run there.
      const staff = ["alice", "bob"] as StaffId[];
      const problems: string[] = [];
      let step = "start";
      let orphans = new Set<SessionId>();
      let sweeps = 0;
      let atQuiet: (() => Promise<void>) | null = null;
      const store = new Proxy(inner, {
        get(target, prop, receiver) {
          if (prop === "claimTimer")
            return async (name: string, ttlMs: number) => {
              if (name !== "sweep") return target.claimTimer(name, ttlMs);
              const task = atQuiet;
              atQuiet = null;
              await task?.();
              const found = await inconsistencies(target, staff, orphans, raw);
              orphans = found.orphans;
              problems.push(...found.problems.map((p) => `${step}: ${p}`));
              sweeps++;
              return target.claimTimer(name, ttlMs);
            };
          const value = Reflect.get(target, prop, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const h = await startRelay<RelayStore>({
        store,
        now: clock,
        idleTimeoutMs: IDLE_MS,
        resumeGraceMs: GRACE_MS,
        waitingSilenceMs: SILENCE_MS,
      });
      harness = h;

      /** Two sweeps from now: the first one after the step has run to its end, and been checked. */
      const swept = async (what: string) => {
        step = what;
        const from = sweeps;
        await expect.poll(() => sweeps, { timeout: 5000, interval: 20 }).toBeGreaterThanOrEqual(from + 2);
        expect(problems).toEqual([]);
      };
      /** Moves the relay's clock at a quiet point, then lets the sweeps act on it. */
      const advance = async (ms: number, what: string) => {
        let moved = () => {};
        const done = new Promise<void>((resolve) => {
          moved = resolve;
        });
        atQuiet = async () => {
          now += ms;
          if (kind === "redis" && inner instanceof RedisStore) {
            await inner.heartbeat();
            await raw?.expireUpTo(now);
          }
          moved();
        };
        await done;
        await swept(what);
      };
      const join = async (language = "en") => {
        const s = await joinAsSurvivor(h.url, { language });
        sockets.push(s.socket);
        return { ...s, ended: collect<SurvivorEnded>(s.socket, "ended") };
      };
      const keepAlive = async (...survivors: Joined[]) => {
        for (const s of survivors) {
          const reply = await request(s.socket as Socket, "waiting", { sessionId: s.queued.sessionId });
          expect(reply).toEqual({ ok: true });
        }
      };
      const waiting = async () =>
        (await Promise.all((await store.queueNames()).map((n) => store.queueIds(n)))).flat().sort();
      const idOf = (s: Joined) => s.queued.sessionId;

      const alice = await connectStaff(h.url, h.addStaff(principal("alice", { chatLimit: 2 })), "away");
      sockets.push(alice);
      const [s1, s2, s3] = [await join(), await join(), await join()];
      // Queued a moment later than the others: oldest first is then one order on every store.
      await advance(1, "joins");
      const s4 = await join("ur");
      await swept("joins");
      expect(await waiting()).toEqual([s1, s2, s3, s4].map(idOf).sort());

      // Keep-alives just inside the silence limit; one survivor falls silent and loses the place
      // exactly at the limit, and is told. The others keep theirs through keep-alives for more
      // than twice a record's life: each keep-alive pushes the record's expiry (with Redis, the
      // check compares the key's own expiry).
      await keepAlive(s1, s2, s3, s4);
      await advance(SILENCE_MS - 1, "just inside the silence limit");
      expect(await waiting()).toEqual([s1, s2, s3, s4].map(idOf).sort());
      await keepAlive(s1, s2, s4);
      await advance(1, "at the silence limit");
      expect(await waiting()).toEqual([s1, s2, s4].map(idOf).sort());
      expect(s3.ended).toEqual([{ sessionId: idOf(s3), reason: "expired" }]);
      for (let round = 0; round < 5; round++) {
        await keepAlive(s1, s2, s4);
        await advance(SILENCE_MS - 1, `keep-alive round ${round}`);
        expect(await waiting()).toEqual([s1, s2, s4].map(idOf).sort());
      }
      expect(5 * (SILENCE_MS - 1)).toBeGreaterThan(2 * LIFE_MS);

      // Assignments: a take and its accept, then auto-assignment (oldest first, up to the limit).
      await keepAlive(s1, s2, s4);
      const taken = await request<Reply>(alice as Socket, "take", { sessionId: idOf(s1) });
      expect(taken.ok).toBe(true);
      const accepted = await request(alice as Socket, "accept", {
        sessionId: idOf(s1),
        epoch: 0,
        handshake: opaque(64),
      });
      expect(accepted).toEqual({ ok: true });
      await swept("take and accept");
      const assigned = next(alice, "assigned");
      expect(await request(alice as Socket, "status", { status: "available" })).toEqual({ ok: true });
      expect(((await assigned) as { sessionId: SessionId }).sessionId).toBe(idOf(s2));
      await swept("auto-assignment");
      expect(await waiting()).toEqual([idOf(s4)]);

      // A join and a leave.
      const s5 = await join();
      await swept("join");
      expect(await request(s4.socket as Socket, "leave", { sessionId: idOf(s4), reason: "ended" })).toEqual({
        ok: true,
      });
      await swept("leave");
      expect(await waiting()).toEqual([idOf(s5)]);

      // Alice's connection goes and her grace runs out: both her chats go back to the queue with a
      // fresh key, as the frame answers `transferring`.
      const transferring = [s1, s2].map((s) => next(s.socket, "transferring"));
      dropNetwork(alice);
      await expect.poll(() => h.relay.counts().staff).toBe(0);
      await advance(GRACE_MS, "counselor gone");
      await Promise.all(transferring);
      for (const s of [s1, s2]) {
        const reply = await request(s.socket as Socket, "transfer-key", {
          sessionId: idOf(s),
          survivorKey: opaque(32),
        });
        expect(reply).toEqual({ ok: true });
      }
      await swept("back in the queue");
      expect(await waiting()).toEqual([s1, s2, s5].map(idOf).sort());

      // Chats back in the queue keep their place without keep-alives (someone spoke with them),
      // on either side of their records' first expiry and long after; s5 keeps its own alive.
      const requeued = [s1, s2, s5].map(idOf).sort();
      let since = 0;
      for (const [ms, what] of [
        [SILENCE_MS - 1, "requeued, a while"],
        [SILENCE_MS - 1, "requeued, longer"],
        [LIFE_MS - 1 - 2 * (SILENCE_MS - 1), "just before the requeued records' first expiry"],
        [1, "at the requeued records' first expiry"],
        [SILENCE_MS - 1, "requeued, past it"],
        [SILENCE_MS - 1, "requeued, a record's life past it"],
        [SILENCE_MS - 1, "requeued, later still"],
      ] as const) {
        await keepAlive(s5);
        await advance(ms, what);
        since += ms;
        expect(await waiting(), what).toEqual(requeued);
      }
      expect(since).toBeGreaterThan(2 * LIFE_MS);
      for (const s of [s1, s2, s5]) expect(s.ended).toEqual([]);

      // Bob takes them, oldest first; the one left waiting leaves.
      const bob = await connectStaff(h.url, h.addStaff(principal("bob", { chatLimit: 2 })), "away");
      sockets.push(bob);
      await keepAlive(s5);
      const given = collect<{ sessionId: SessionId }>(bob, "assigned");
      expect(await request(bob as Socket, "status", { status: "available" })).toEqual({ ok: true });
      await expect.poll(() => given.map((a) => a.sessionId).sort()).toEqual([s1, s2].map(idOf).sort());
      await swept("bob's assignments");
      // A survivor's connection goes: their chat is read by the disconnection time until the grace
      // runs out, and then ended.
      dropNetwork(s1.socket);
      await expect.poll(async () => (await store.getSession(idOf(s1)))?.survivorSocket).toBeNull();
      await swept("survivor gone");
      await advance(GRACE_MS - 1, "survivor gone, within the grace");
      expect((await store.getSession(idOf(s1)))?.id).toBe(idOf(s1));
      await advance(1, "survivor gone past the grace");
      expect(await store.getSession(idOf(s1))).toBeNull();
      expect(await request(s5.socket as Socket, "leave", { sessionId: idOf(s5), reason: "ended" })).toEqual({
        ok: true,
      });
      await swept("last leave");
      expect(await waiting()).toEqual([]);
      if (raw) expect(await raw.keys("queue*")).toEqual([]);
    },
    60_000,
  );
});
