import { type StaffId, shortId } from "../../shared/protocol/index.ts";
import { autoAssign, rekeyForTransfer } from "./assignment.ts";
import type { RelayContext } from "./context.ts";
import { endSession, mutate } from "./sessions.ts";

/**
 * Periodic clean-up, on `deps.now`: survivors gone past the resume grace period, idle chats, and
 * counselors gone past the grace period (their chats go back to the queue with a fresh key).
 */
export async function sweep(ctx: RelayContext): Promise<void> {
  if (ctx.closing()) return;
  // With several nodes on one store, one node per period acts on the deadlines.
  if (!(await ctx.store.claimTimer("sweep", Math.max(10, ctx.options.sweepIntervalMs - 10)))) return;
  const now = ctx.deps.now();
  const { resumeGraceMs, idleTimeoutMs } = ctx.options;
  for (const s of await ctx.store.listSessions()) {
    if (
      s.survivorSocket === null &&
      s.survivorDisconnectedAt !== null &&
      now - s.survivorDisconnectedAt >= resumeGraceMs
    ) {
      await endSession(ctx, s, { survivor: null, staff: "expired" });
    } else if (s.state !== "waiting" && now - s.lastActivity >= idleTimeoutMs) {
      await endSession(ctx, s, { survivor: "idle", staff: "idle" });
    }
  }
  for (const p of await ctx.store.listStaff()) {
    if (p.connections === 0 && p.disconnectedAt !== null && now - p.disconnectedAt >= resumeGraceMs) {
      await releaseStaff(ctx, p.id, p.displayName);
    }
  }
  await autoAssign(ctx);
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
    } else if (s.previousCounselor === staffId) {
      await mutate(ctx, s.id, (c) => ({ ...c, previousCounselor: null }));
    }
  }
  const presence = await ctx.store.getStaff(staffId);
  if (presence) await ctx.store.deleteStaff(presence.id);
  ctx.log.info({ staff: shortId(staffId) }, "staff released");
  ctx.changed();
}
