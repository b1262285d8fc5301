import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type { QueueSnapshot, SessionId, StaffId } from "../../shared/protocol/index.ts";
import { FULL_SWEEP_EVERY } from "../../server/relay/sweep.ts";
import { MemoryStore } from "../../server/state/memory-store.ts";
import type { SessionRecord } from "../../server/state/records.ts";
import { sessionRecord } from "../support/session-record.ts";
import {
  activeChat,
  collect,
  connectStaff,
  joinAsSurvivor,
  type SurvivorClient,
} from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

let h: Harness | null = null;
const sockets: (SurvivorClient | Socket)[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h?.close();
  h = null;
});

/** The sweep is at `sweep.ts` in the stack of every read it makes (and of autoAssign's). */
const bySweep = () => /server\/relay\/sweep\.ts/.test(new Error().stack ?? "");

/**
 * Counts session records the relay reads through the store: one per `getSession`, and every
 * record a listing returns. Index reads (queue ids, queue entries, staff) are not records. The
 * periodic sweep's reads are left out: it reads every waiting record once per sweep interval by
 * design (helpline hours decide them), so its count follows how long the run took on a busy
 * machine, not the changes (its own reads are counted by `countSweepReads`).
 */
function countRecordReads(store: MemoryStore): { reads: number } {
  const counter = { reads: 0 };
  const getSession = store.getSession.bind(store);
  store.getSession = async (id) => {
    if (!bySweep()) counter.reads++;
    return getSession(id);
  };
  for (const name of [
    "listSessions",
    "waitingSessions",
    "heldSessions",
    "heldSessionsOf",
    "sessionsOf",
  ] as const) {
    const list = store[name].bind(store) as (...a: unknown[]) => Promise<readonly unknown[]>;
    (store as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
      const sweeping = bySweep();
      const out = await list(...a);
      if (!sweeping) counter.reads += out.length;
      return out;
    };
  }
  return counter;
}

/**
 * The session records each sweep reads (ids, one list per sweep in the order they ran): a sweep
 * starts with `claimTimer("sweep")`, which the memory store grants to every one, so the node's
 * full passes (listSessions) are the sweeps numbered 0, FULL_SWEEP_EVERY, 2 * FULL_SWEEP_EVERY...
 */
function countSweepReads(store: MemoryStore): SessionId[][] {
  const sweeps: SessionId[][] = [];
  const claim = store.claimTimer.bind(store);
  store.claimTimer = async (name, ttl) => {
    if (name === "sweep") sweeps.push([]);
    return claim(name, ttl);
  };
  const note = (records: readonly (SessionRecord | null)[]) => {
    if (!bySweep()) return;
    for (const r of records) if (r) sweeps.at(-1)?.push(r.id);
  };
  const getSession = store.getSession.bind(store);
  store.getSession = async (id) => {
    const r = await getSession(id);
    note([r]);
    return r;
  };
  const listings = [
    "listSessions",
    "dueSessions",
    "waitingSessions",
    "heldSessions",
    "heldSessionsOf",
    "sessionsOf",
  ] as const;
  for (const name of listings) {
    const list = store[name].bind(store) as (...a: unknown[]) => Promise<readonly SessionRecord[]>;
    (store as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
      const out = await list(...a);
      note(out);
      return out;
    };
  }
  return sweeps;
}

const NOW = 1_000_000;
const IDLE_MS = 2_000;

/** An active chat whose survivor is connected, last active at `lastActivity`. */
const activeRecord = (n: number, lastActivity: number): SessionRecord =>
  sessionRecord(`scaling${String(n).padStart(15, "0")}` as SessionId, {
    state: "active",
    epoch: 1,
    counselor: "absent" as StaffId,
    handshake: new Uint8Array(64),
    queuedAt: NOW - 60_000,
    assignedAt: NOW - 50_000,
    lastActivity,
    survivorSocket: `socket-${n}`,
    expiresAt: NOW + 3_600_000,
  });

/**
 * Opens `n` chats, a few at a time, while a counselor at their chat limit watches the queue (so
 * every join runs auto-assignment and a queue/load push). Resolves to the records read.
 */
async function recordReadsForChats(n: number): Promise<number> {
  // Each survivor from an address of its own (behind one trusted proxy), as on a real helpline:
  // the per-address place check reads that address's few places, not everyone's.
  const harness = await startRelay({ trustProxy: 1, maxWaitingPerClient: 4 });
  h = harness;
  const counter = countRecordReads(harness.store);
  const cookie = harness.addStaff(principal("full", { role: "supervisor", chatLimit: 0 }));
  const staff = await connectStaff(harness.url, cookie);
  sockets.push(staff);
  const queues = collect<QueueSnapshot>(staff, "queue");
  for (let i = 0; i < n; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, (_, j) =>
        joinAsSurvivor(harness.url, {}, undefined, {
          "x-forwarded-for": `10.0.${(i + j) >> 8}.${(i + j) & 255}`,
        }),
      ),
    );
    for (const b of batch) sockets.push(b.socket);
  }
  // The trailing push after the last join shows every chat: nothing was dropped by coalescing.
  await expect.poll(() => queues.at(-1)?.entries.length, { timeout: 10_000 }).toBe(n);
  const reads = counter.reads;
  for (const s of sockets.splice(0)) s.close();
  await harness.close();
  h = null;
  return reads;
}

/**
 * With `n` survivors waiting and a colleague in an active chat, a counselor with no chat connects
 * and disconnects: resolves to the session records the relay read for that (presence notices to
 * their chats' survivors, a handover they were the target of).
 */
async function recordReadsForStaffComings(n: number): Promise<number> {
  const harness = await startRelay({ trustProxy: 1, maxWaitingPerClient: 4 });
  h = harness;
  const colleague = harness.addStaff(principal("colleague"));
  const chat = await activeChat(harness.url, colleague);
  sockets.push(chat.staff, chat.survivor);
  for (let i = 0; i < n; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, (_, j) =>
        joinAsSurvivor(harness.url, {}, undefined, {
          "x-forwarded-for": `10.1.${(i + j) >> 8}.${(i + j) & 255}`,
        }),
      ),
    );
    for (const b of batch) sockets.push(b.socket);
  }
  const counter = countRecordReads(harness.store);
  const cookie = harness.addStaff(principal("newcomer"));
  const loads = collect<{ counselors: { id: string; status: string }[] }>(chat.staff, "load");
  const seen = (status: string) =>
    loads.some((l) => l.counselors.some((c) => c.id === "newcomer" && c.status === status));
  const staff = await connectStaff(harness.url, cookie, "away");
  await expect.poll(() => seen("away")).toBe(true);
  staff.close();
  await expect.poll(() => seen("offline")).toBe(true);
  return counter.reads;
}

describe("relay scaling", () => {
  it("a sweep over active chats none of which is due reads no record; an idle one, only it", async () => {
    const n = 200;
    const store = new MemoryStore(() => NOW);
    const sweeps = countSweepReads(store);
    // Deadlines of 400 ms and 2 s: the sweep runs every 100 ms (real time) on a clock that stands.
    h = await startRelay({ store, now: () => NOW, idleTimeoutMs: IDLE_MS, resumeGraceMs: 400 });
    for (let i = 0; i < n; i++) expect(await store.createSession(activeRecord(i, NOW - 10))).toBe(true);
    await expect.poll(() => sweeps.length, { timeout: 20_000 }).toBeGreaterThan(2 * FULL_SWEEP_EVERY + 1);
    const full = (i: number) => i % FULL_SWEEP_EVERY === 0;
    // Only the node's occasional full pass (for records of nodes without the index) reads them.
    const quiet = sweeps.slice(1).filter((_, i) => !full(i + 1));
    expect(quiet.length).toBeGreaterThan(FULL_SWEEP_EVERY);
    expect(quiet.filter((ids) => ids.length > 0)).toEqual([]);

    // One chat goes idle, right after a sweep that is not a full pass nor followed by one.
    await expect.poll(() => sweeps.length % FULL_SWEEP_EVERY, { timeout: 20_000, interval: 5 }).toBe(2);
    const idle = activeRecord(7, NOW - IDLE_MS);
    const from = sweeps.length;
    expect(await store.updateSession({ ...idle, version: 1 })).toBe(true);
    await expect.poll(() => store.getSession(idle.id), { timeout: 5_000 }).toBeNull();
    const ended = sweeps.slice(from).findIndex((ids) => ids.length > 0) + from;
    expect(full(ended)).toBe(false);
    expect(sweeps[ended]).toEqual([idle.id]);
    expect(h.logs.filter((l) => l.includes('"survivor":"idle"')).length).toBe(1);
    expect((await store.listSessions()).length).toBe(n - 1);
  }, 60_000);

  it("a record the deadline indexes miss (written by a node without them) is ended by a full pass", async () => {
    const store = new MemoryStore(() => NOW);
    const unindexed = activeRecord(1, NOW - IDLE_MS);
    const due = store.dueSessions.bind(store);
    store.dueSessions = async (q) => (await due(q)).filter((r) => r.id !== unindexed.id);
    const sweeps = countSweepReads(store);
    h = await startRelay({ store, now: () => NOW, idleTimeoutMs: IDLE_MS, resumeGraceMs: 400 });
    // Written after the first sweep (a full pass), so only a later full pass can find it.
    await expect.poll(() => sweeps.length, { timeout: 20_000, interval: 5 }).toBeGreaterThan(1);
    expect(await store.createSession(unindexed)).toBe(true);
    await expect.poll(() => store.getSession(unindexed.id), { timeout: 20_000 }).toBeNull();
    const ended = sweeps.findIndex((ids) => ids.includes(unindexed.id));
    expect(ended % FULL_SWEEP_EVERY).toBe(0);
    expect(ended).toBeGreaterThan(0);
  }, 60_000);

  it("a counselor connecting and leaving reads their own chats' records, not every waiting one", async () => {
    // The pushes read the held sessions (the colleague's one chat) each time; nothing reads the
    // waiting records (a scan of every record would read all 60 at the connection and twice at
    // the disconnection).
    expect(await recordReadsForStaffComings(60)).toBeLessThan(20);
  }, 60_000);

  it("opening chats reads session records linearly, not once per chat per change", async () => {
    const small = await recordReadsForChats(150);
    const large = await recordReadsForChats(300);
    // Linear: about 2x (none at all today). Re-reading every record on every change
    // (quadratic) gives about 4x.
    expect(large).toBeLessThanOrEqual(3 * small);
  }, 120_000);
});
