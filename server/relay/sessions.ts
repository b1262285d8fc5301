import {
  type Assigned,
  type SessionId,
  type StaffEnded,
  type SurvivorEnded,
  shortId,
} from "../../shared/protocol/index.ts";
import { queueName, type SessionRecord } from "../state/records.ts";
import { type RelayContext, recordExpiry, sessionRoom, staffRoom } from "./context.ts";
import { dropSidesOfSession } from "./side-channel.ts";
import { wire } from "./wire.ts";
import { issueWrapupToken } from "./wrapup-tokens.ts";

export { queueName };

/**
 * Read-modify-write with compare-and-set on `version`. `change` returns the new record (version
 * is bumped here) or null to leave it; retried a few times if another writer won.
 */
export async function mutate(
  ctx: RelayContext,
  id: SessionId,
  change: (current: SessionRecord) => SessionRecord | null,
): Promise<SessionRecord | null> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const current = await ctx.store.getSession(id);
    if (!current) return null;
    const next = change(current);
    if (!next) return null;
    const written = { ...next, version: current.version + 1, expiresAt: recordExpiry(ctx, ctx.deps.now()) };
    if (await ctx.store.updateSession(written)) return written;
  }
  return null;
}

export type EndReasons = Readonly<{
  survivor: SurvivorEnded["reason"] | null;
  staff: StaffEnded["reason"] | null;
}>;

/**
 * What a counselor is told of a chat ended as a waiting one (sweep, `clear-silent`: no counselor
 * to tell) that another node had just assigned to them.
 */
const lateStaffReason = (survivor: SurvivorEnded["reason"] | null): StaffEnded["reason"] =>
  survivor === "helpline-closed" ? "helpline-closed" : "expired";

/**
 * Deletes every trace of a session (record, queue entry, room membership) and tells whoever is
 * still there. Nothing about the session survives this call on the relay.
 */
export async function endSession(
  ctx: RelayContext,
  session: SessionRecord,
  reasons: EndReasons,
  /** Only if `session` is still the stored version (the sweep); false and nothing done if not. */
  onlyIfUnchanged = false,
): Promise<boolean> {
  const { id } = session;
  const release = async () => {
    await ctx.store.dequeue(queueName(session), id);
    await ctx.admission.release(id);
  };
  if (!onlyIfUnchanged) await release();
  // Several nodes (or a handler and the sweep) may end the same session: only the one whose
  // delete removed it tells the clients, so `ended` is sent once (and the figure counted once).
  // The caller's copy may predate an assignment on another node; the record the delete removed
  // cannot (read and deleted in one step), so a chat is counted answered or abandoned, never both.
  const ended = await ctx.store.deleteSession(id, onlyIfUnchanged ? session.version : undefined);
  if (!ended) return false;
  if (onlyIfUnchanged) await release();
  if (ended.assignedAt === null)
    ctx.deps.serviceStats({ type: "abandoned", waitMs: ctx.deps.now() - ended.queuedAt });
  await dropSidesOfSession(ctx, id);
  if (reasons.survivor)
    ctx.survivors.to(sessionRoom(id)).emit("ended", { sessionId: id, reason: reasons.survivor });
  ctx.survivors.in(sessionRoom(id)).socketsLeave(sessionRoom(id));
  // Ended as a waiting chat (no counselor to tell), but another node assigned it between this
  // caller's read and the delete: the record removed names the counselor, who is told why.
  const assignedMeanwhile =
    session.state === "waiting" && ended.state !== "waiting" && ended.counselor !== null;
  const staffReason = reasons.staff ?? (assignedMeanwhile ? lateStaffReason(reasons.survivor) : null);
  if (staffReason) {
    // From the deleted record too: a counselor assigned on another node a moment ago is told.
    for (const staffId of new Set([ended.counselor, ended.previousCounselor])) {
      if (!staffId) continue;
      // Each counselor told gets a wrap-up token of their own (their console shows the form).
      const wrapup = await issueWrapupToken(ctx.store, staffId, ctx.deps.now());
      ctx.staff
        .to(staffRoom(staffId))
        .emit("ended", { sessionId: id, reason: staffReason, ...(wrapup ? { wrapup } : {}) });
    }
  }
  ctx.log.info({ session: shortId(id), survivor: reasons.survivor, staff: staffReason }, "session ended");
  ctx.changed();
  return true;
}

/** The `assigned` message, binary fields ready for the wire. */
export function assignedMessage(session: SessionRecord, now: number): Assigned {
  const base = {
    sessionId: session.id,
    epoch: session.epoch,
    survivorKey: wire(session.survivorKey),
    language: session.language,
    partner: session.partner,
    waitedSeconds: Math.max(0, Math.round((now - session.queuedAt) / 1000)),
  };
  if (!session.transfer) return base;
  const { from, fromName, note } = session.transfer;
  return { ...base, transfer: note ? { from, fromName, note: wire(note) } : { from, fromName } };
}
