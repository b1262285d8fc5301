import type { CounselorLoad, QueueEntry } from "../../shared/protocol/index.ts";
import type { QueueInfo, SessionRecord } from "../state/records.ts";
import { countChats } from "./assignment.ts";
import { type RelayContext, STAFF_ALL_ROOM, sessionRoom } from "./context.ts";

/**
 * Queue positions, the staff queue and the load snapshot go out at most this often per node
 * (PROTOCOL.md, Queue): a burst of joins costs one snapshot per interval, not one per join.
 */
export const BROADCAST_INTERVAL_MS = 250;

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

/** Signed in, certified and Available: someone who could be handed a chat right now. */
export const availableNow = (p: Readonly<{ connections: number; status: string; certified: boolean }>) =>
  p.connections > 0 && p.status === "available" && p.certified;

/**
 * Pushes what changed: each waiting survivor's position and estimated wait, the queue to staff,
 * and status/load to all staff (counts and names only, never content). Also refreshes the
 * cached counts behind the synchronous `counts()`.
 */
export async function broadcast(ctx: RelayContext): Promise<void> {
  const now = ctx.deps.now();
  const staff = await ctx.store.listStaff();
  // Counselors' loads come from the held sessions; the queue from the queue index with each
  // entry's info. No waiting record is read: a snapshot costs the same few store calls however
  // many survivors wait (an entry enqueued without info, if any, is read from its record).
  const held = await ctx.store.heldSessions();
  const available = staff.filter(availableNow).length;

  const entries: QueueEntry[] = [];
  for (const name of await ctx.store.queueNames()) {
    let position = 0;
    for (const queued of await ctx.store.queueEntries(name)) {
      const s = queued.info ? { ...queued.info, queuedAt: queued.queuedAt } : await infoOf(ctx, queued.id);
      if (!s) continue;
      const id = queued.id;
      position++;
      const estimatedWaitSeconds = seconds((position * ctx.stats.averageWaitMs) / Math.max(1, available));
      // With nobody available the estimate is a guess that may never come true; the survivor's
      // frame says so instead of showing it (PROTOCOL.md, Queue).
      const counselorAvailable = available > 0;
      ctx.survivors
        .to(sessionRoom(id))
        .emit("position", { sessionId: id, position, estimatedWaitSeconds, counselorAvailable });
      entries.push(queueEntry(id, s, now));
    }
  }
  entries.sort((a, b) => b.waitingSeconds - a.waitingSeconds);
  ctx.staff.to(STAFF_ALL_ROOM).emit("queue", { entries });

  const counselors: CounselorLoad[] = staff.map((p) => ({
    id: p.id,
    displayName: p.displayName,
    status: p.connections > 0 ? p.status : "offline",
    chats: countChats(held, p.id),
    limit: p.chatLimit,
    languages: p.languages,
  }));
  // Every staff member gets it: the transfer dialog shows each colleague's status and room.
  ctx.staff.to(STAFF_ALL_ROOM).emit("load", {
    counselors,
    waiting: entries.length,
    longestWaitSeconds: entries[0]?.waitingSeconds ?? 0,
  });
  ctx.stats.waiting = entries.length;
  ctx.stats.active = held.length;
}

type Shown = QueueInfo & Readonly<{ queuedAt: number }>;

/** What `enqueue` keeps beside a queue entry, from the waiting session's record. */
export const queueInfo = (s: SessionRecord): QueueInfo => ({
  language: s.language,
  partner: s.partner,
  transferFrom: s.transfer?.from ?? null,
});

async function infoOf(ctx: RelayContext, id: SessionRecord["id"]): Promise<Shown | null> {
  const s = await ctx.store.getSession(id);
  return s && s.state === "waiting" ? { ...queueInfo(s), queuedAt: s.queuedAt } : null;
}

function queueEntry(id: SessionRecord["id"], s: Shown, now: number): QueueEntry {
  const base = {
    sessionId: id,
    language: s.language,
    partner: s.partner,
    waitingSeconds: seconds(now - s.queuedAt),
  };
  return s.transferFrom ? { ...base, transferFrom: s.transferFrom } : base;
}
