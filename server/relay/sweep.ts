import { type StaffId, shortId } from "../../shared/protocol/index.ts";
import { autoAssign } from "./assignment.ts";
import { rekeyForTransfer } from "./handover.ts";
import type { SessionRecord } from "../state/records.ts";
import { type RelayContext, recordExpiry } from "./context.ts";
import { type EndReasons, endSession, mutate } from "./sessions.ts";

/**
 * One sweep in this many (counted per node, from its first: so about one per this many periods
 * across the nodes) reads every session record instead of those the store's deadline indexes
 * name: a record last written by a node that predates the indexes (a rolling deploy) is in
 * none of them, and would otherwise wait for its expiry.
 */
export const FULL_SWEEP_EVERY = 12;
const sweepsRun = new WeakMap<RelayContext, number>();
/** How long after a dead node's survivors' grace ran out every sweep is a full pass. */
const DEAD_NODE_PASSES_MS = 20_000;

/**
 * Periodic clean-up, on `deps.now`: survivors gone past the resume grace period, idle chats,
 * waiting chats whose frame fell silent or whose helpline closed, queue entries left behind by
 * records that expired in the store, and counselors gone past the grace period (their chats go
 * back to the queue with a fresh key).
 */
export async function sweep(ctx: RelayContext): Promise<void> {
  if (ctx.closing()) return;
  // With several nodes on one store, one node per period acts on the deadlines.
  if (!(await ctx.store.claimTimer("sweep", Math.max(10, ctx.options.sweepIntervalMs - 10)))) return;
  const now = ctx.deps.now();
  const { resumeGraceMs, idleTimeoutMs } = ctx.options;
  const open = new Map<string, boolean>();
  const isOpen = async (partner: SessionRecord["partner"]) => {
    let known = open.get(partner);
    if (known === undefined) {
      known = await ctx.deps.isOpen(partner, now);
      open.set(partner, known);
    }
    return known;
  };
  // A node that died (SIGKILL, a lost machine) recorded no disconnect for its survivors: each
  // record still names a socket there. Such a survivor is gone since the node's last beat, and
  // gets the same resume grace from then as one whose disconnect was recorded. Not before the
  // grace: a node only stalled past its heartbeat timeout still holds its sockets.
  const dead = await ctx.store.deadNodes();
  const goneAt = (s: SessionRecord) =>
    s.survivorSocket === null
      ? s.survivorDisconnectedAt
      : s.survivorNode !== null
        ? (dead.get(s.survivorNode) ?? null)
        : null;
  const due = async (s: SessionRecord): Promise<EndReasons | null> => {
    const gone = goneAt(s);
    if (gone !== null && now - gone >= resumeGraceMs) return { survivor: null, staff: "expired" };
    if (s.state === "waiting") return sweepWaiting(ctx, s, now, isOpen);
    if (now - s.lastActivity >= idleTimeoutMs) return { survivor: "idle", staff: "idle" };
    return null;
  };
  const run = sweepsRun.get(ctx) ?? 0;
  sweepsRun.set(ctx, run + 1);
  // The indexes know nothing of a dead node's survivors: every sweep for a while after their
  // grace ran out reads every record.
  const deadNodeGraceOver = [...dead.values()].some(
    (beat) => now - beat >= resumeGraceMs && now - beat < resumeGraceMs + DEAD_NODE_PASSES_MS,
  );
  const sessions =
    run % FULL_SWEEP_EVERY === 0 || deadNodeGraceOver
      ? await ctx.store.listSessions()
      : await ctx.store.dueSessions({
          idleBefore: now - idleTimeoutMs,
          disconnectedBefore: now - resumeGraceMs,
        });
  for (const s of sessions) await endIfDue(ctx, s, due);
  await dropOrphans(ctx, sessions);
  for (const p of await ctx.store.listStaff()) {
    if (p.connections === 0 && p.disconnectedAt !== null && now - p.disconnectedAt >= resumeGraceMs) {
      await releaseStaff(ctx, p.id, p.displayName);
    }
  }
  await autoAssign(ctx);
}

/**
 * Ends a session the sweep found due, only if the record is still the one it read (a delete
 * conditional on its version): a resume, keep-alive or assignment written since is judged again
 * from the record as it is now, so a survivor who resumes as the grace runs out keeps the chat.
 */
async function endIfDue(
  ctx: RelayContext,
  found: SessionRecord,
  due: (s: SessionRecord) => Promise<EndReasons | null>,
): Promise<void> {
  let s: SessionRecord | null = found;
  for (let attempt = 0; s && attempt < 4; attempt++) {
    const reasons = await due(s);
    if (!reasons || (await endSession(ctx, s, reasons, true))) return;
    s = await ctx.store.getSession(found.id);
  }
}

/**
 * A waiting survivor keeps their place while the helpline is open and their frame keeps saying
 * `waiting`; a connected socket alone keeps nothing (a bot's socket answers pings for free).
 * Chats put back in the queue after a counselor left are exempt: someone already spoke with them,
 * and their connected socket keeps the place (the resume grace ends it once it is gone).
 */
async function sweepWaiting(
  ctx: RelayContext,
  s: SessionRecord,
  now: number,
  isOpen: (partner: SessionRecord["partner"]) => Promise<boolean>,
): Promise<EndReasons | null> {
  if (s.transfer !== null) {
    // Its frame is in the chat, so no keep-alive comes: while the survivor is connected the relay
    // writes the record itself before half its life is gone, or the store would drop it (and the
    // queue entry with it) and the survivor would wait for ever, never told.
    const life = recordExpiry(ctx, now) - now;
    if (s.survivorSocket !== null && s.expiresAt - now < life / 2)
      await mutate(ctx, s.id, (c) => (c.state === "waiting" && c.survivorSocket !== null ? c : null));
    return null;
  }
  if (!(await isOpen(s.partner))) return { survivor: "helpline-closed", staff: null };
  if (s.survivorSocket !== null && now - s.lastActivity >= ctx.options.waitingSilenceMs)
    return { survivor: "expired", staff: null };
  return null;
}

/**
 * Queue entries have no expiry of their own: one whose record the store dropped (or that is no
 * longer waiting) would hold a place for ever and count towards `queue-full`. Remove it, only if
 * the record is still the one read (a dequeue conditional on its version): a chat put back in
 * the queue on another node in between keeps its fresh entry. An entry whose record this sweep
 * read as waiting (every waiting one is read) is not read again: if it has changed since, the
 * next sweep judges it.
 */
async function dropOrphans(ctx: RelayContext, read: readonly SessionRecord[]): Promise<void> {
  const waiting = new Set(read.filter((s) => s.state === "waiting").map((s) => s.id));
  const isWaiting = async (id: SessionRecord["id"]) => (await ctx.store.getSession(id))?.state === "waiting";
  for (const name of await ctx.store.queueNames()) {
    for (const id of await ctx.store.queueIds(name)) {
      if (waiting.has(id)) continue;
      const s = await ctx.store.getSession(id);
      if (s?.state !== "waiting" && (await ctx.store.dequeue(name, id, s?.version ?? null))) ctx.changed();
    }
  }
  await ctx.admission.prune(isWaiting);
}

/**
 * A counselor who is gone (grace expired, disabled or revoked) loses their chats: each goes back
 * to the front of the queue with a new epoch, so the next counselor does a fresh handshake and
 * the departed one's keys open nothing new. Abandoning a survivor mid-crisis is the worse choice.
 */
export async function releaseStaff(ctx: RelayContext, staffId: StaffId, displayName: string): Promise<void> {
  for (const s of await ctx.store.listSessions()) {
    if (s.counselor === staffId) {
      await rekeyForTransfer(ctx, s, null, { from: s.counselor, fromName: displayName });
    } else if (s.state === "transferring" && s.transferTo === staffId) {
      await mutate(ctx, s.id, (c) => (c.transferTo === staffId ? { ...c, transferTo: null } : null));
    } else if (s.state === "held" && s.previousCounselor === staffId) {
      // The sender of a held handover is gone and cannot decide: the queue serves the survivor.
      await rekeyForTransfer(ctx, s, null, { from: staffId, fromName: displayName }, null);
    } else if (s.previousCounselor === staffId) {
      await mutate(ctx, s.id, (c) => ({ ...c, previousCounselor: null }));
    }
  }
  const presence = await ctx.store.getStaff(staffId);
  if (presence) await ctx.store.deleteStaff(presence.id);
  ctx.log.info({ staff: shortId(staffId) }, "staff released");
  ctx.changed();
}
