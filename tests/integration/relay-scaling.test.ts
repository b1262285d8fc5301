import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type { QueueSnapshot } from "../../shared/protocol/index.ts";
import type { MemoryStore } from "../../server/state/memory-store.ts";
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

/**
 * Counts session records the relay reads through the store: one per `getSession`, and every
 * record a listing returns. Index reads (queue ids, queue entries, staff) are not records. The
 * periodic sweep's reads are left out: it reads every record once per sweep interval by design
 * (deadlines), so its count follows how long the run took on a busy machine, not the changes.
 */
function countRecordReads(store: MemoryStore): { reads: number } {
  const counter = { reads: 0 };
  const bySweep = () => /server\/relay\/sweep\.ts/.test(new Error().stack ?? "");
  const getSession = store.getSession.bind(store);
  store.getSession = async (id) => {
    if (!bySweep()) counter.reads++;
    return getSession(id);
  };
  for (const name of ["listSessions", "heldSessions", "heldSessionsOf", "sessionsOf"] as const) {
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
