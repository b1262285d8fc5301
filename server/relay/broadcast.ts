import type { CounselorLoad, QueueEntry } from "../../shared/protocol/index.ts";
import type { SessionRecord } from "../state/records.ts";
import { countChats } from "./assignment.ts";
import { type RelayContext, STAFF_ALL_ROOM, sessionRoom } from "./context.ts";

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
  const sessions = await ctx.store.listSessions();
  const available = staff.filter(availableNow).length;

  const entries: QueueEntry[] = [];
  for (const name of await ctx.store.queueNames()) {
    const ids = await ctx.store.queueIds(name);
    let position = 0;
    for (const id of ids) {
      const s = sessions.find((x) => x.id === id);
      if (!s) continue;
      position++;
      const estimatedWaitSeconds = seconds((position * ctx.stats.averageWaitMs) / Math.max(1, available));
      // With nobody available the estimate is a guess that may never come true; the survivor's
      // frame says so instead of showing it (PROTOCOL.md, Queue).
      const counselorAvailable = available > 0;
      ctx.survivors
        .to(sessionRoom(id))
        .emit("position", { sessionId: id, position, estimatedWaitSeconds, counselorAvailable });
      entries.push(queueEntry(s, now));
    }
  }
  entries.sort((a, b) => b.waitingSeconds - a.waitingSeconds);
  ctx.staff.to(STAFF_ALL_ROOM).emit("queue", { entries });

  const counselors: CounselorLoad[] = staff.map((p) => ({
    id: p.id,
    displayName: p.displayName,
    status: p.connections > 0 ? p.status : "offline",
    chats: countChats(sessions, p.id),
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
  ctx.stats.active = sessions.length - entries.length;
}

function queueEntry(s: SessionRecord, now: number): QueueEntry {
  const base = {
    sessionId: s.id,
    language: s.language,
    partner: s.partner,
    waitingSeconds: seconds(now - s.queuedAt),
  };
  return s.transfer ? { ...base, transferFrom: s.transfer.from } : base;
}
