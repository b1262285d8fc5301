import { MAX_EPOCH, type StaffId, type TransferRefusal, shortId } from "../../shared/protocol/index.ts";
import type { SessionRecord, StaffPresence } from "../state/records.ts";
import { autoAssign, chatCount } from "./assignment.ts";
import { queueInfo } from "./broadcast.ts";
import { type RelayContext, sessionRoom, staffRoom } from "./context.ts";
import { assignedMessage, endSession, mutate, queueName } from "./sessions.ts";

/**
 * Why a colleague cannot receive this chat now, or null. Checked before a handover starts (so a
 * refused transfer changes nothing) and again when the survivor's fresh key arrives. The chat
 * being handed over is left out of the target's count: it must not count against them twice.
 */
export async function targetRefusal(
  ctx: RelayContext,
  target: StaffPresence | null,
  session: SessionRecord,
): Promise<TransferRefusal | null> {
  if (!target || target.connections === 0) return "target-offline";
  if (!target.certified) return "target-unavailable";
  if (target.status === "break") return "target-on-break";
  if (target.status === "away") return "target-away";
  if ((await chatCount(ctx, target.id, session.id)) >= target.chatLimit) return "target-full";
  if (await ctx.deps.staffRefusal(target.id)) return "target-unavailable";
  return null;
}

/**
 * Starts a new epoch and asks the survivor for a fresh key: for a handover to `to` (`from` is
 * the sender, who gets the chat back to decide on if the handover falls through), or (to = null)
 * back to the queue. Frames of the old epoch are refused from here on.
 */
export async function rekeyForTransfer(
  ctx: RelayContext,
  session: SessionRecord,
  to: StaffId | null,
  transfer: SessionRecord["transfer"],
  from: StaffId | null = to ? session.counselor : null,
): Promise<SessionRecord | null> {
  if (session.epoch >= MAX_EPOCH) {
    await endSession(ctx, session, { survivor: "transfer-failed", staff: "expired" });
    return null;
  }
  const next = await mutate(ctx, session.id, (s) =>
    s.epoch === session.epoch && s.counselor === session.counselor && s.state === session.state
      ? {
          ...s,
          state: "transferring",
          epoch: s.epoch + 1,
          counselor: null,
          previousCounselor: from,
          transferTo: to,
          transfer,
          handshake: null,
        }
      : null,
  );
  if (!next) return null;
  ctx.survivors.to(sessionRoom(next.id)).emit("transferring", { sessionId: next.id, epoch: next.epoch });
  ctx.changed();
  return next;
}

/**
 * The handover did not reach its target: nobody holds the chat, and the sender is told why and
 * decides (`reclaim`). Never put back in the queue on its own, where it could be auto-assigned to
 * the sender with a note they cannot open and a conversation their console has let go of.
 */
export async function holdHandover(
  ctx: RelayContext,
  session: SessionRecord,
  reason: TransferRefusal,
): Promise<void> {
  const sender = session.previousCounselor;
  if (!sender) return;
  const target = session.counselor ?? session.transferTo;
  const next = await mutate(ctx, session.id, (s) =>
    s.previousCounselor === sender &&
    s.epoch === session.epoch &&
    (s.state === "transferring" || s.state === "assigned")
      ? { ...s, state: "held", counselor: null, transferTo: null, handshake: null }
      : null,
  );
  if (!next) return;
  if (target && session.counselor === target)
    ctx.staff.to(staffRoom(target)).emit("ended", { sessionId: session.id, reason: "transferred" });
  ctx.staff.to(staffRoom(sender)).emit("handover-failed", { sessionId: session.id, reason });
  ctx.log.info({ session: shortId(session.id), reason }, "handover held for sender");
  ctx.changed();
}

/** After `transfer-key`: straight to the chosen counselor if they still can, else back to the sender or the queue. */
export async function routeTransferred(ctx: RelayContext, session: SessionRecord): Promise<void> {
  const now = ctx.deps.now();
  const to = session.transferTo;
  if (to) {
    const target = await ctx.store.getStaff(to);
    // Taking one's own chat back needs only a connection: it was theirs a moment ago.
    const refusal =
      to === session.previousCounselor
        ? target && target.connections > 0
          ? null
          : "target-offline"
        : await targetRefusal(ctx, target, session);
    if (!refusal) {
      const next = await mutate(ctx, session.id, (s) =>
        s.state === "transferring"
          ? {
              ...s,
              state: "assigned",
              counselor: to,
              transferTo: null,
              assignedAt: now,
              previousCounselor: s.previousCounselor === to ? null : s.previousCounselor,
            }
          : null,
      );
      if (next) ctx.staff.to(staffRoom(to)).emit("assigned", assignedMessage(next, now));
      ctx.changed();
      return;
    }
    if (session.previousCounselor && session.previousCounselor !== to) {
      await holdHandover(ctx, session, refusal);
      return;
    }
  }
  await requeue(ctx, session);
}

async function requeue(ctx: RelayContext, session: SessionRecord): Promise<void> {
  const next = await mutate(ctx, session.id, (s) =>
    s.state === "transferring"
      ? { ...s, state: "waiting", transferTo: null, previousCounselor: null, lastActivity: ctx.deps.now() }
      : null,
  );
  if (next) await ctx.store.enqueue(queueName(next), next.id, next.queuedAt, queueInfo(next));
  ctx.changed();
  await autoAssign(ctx);
}

/**
 * The target's last connection closed in the middle of a handover (before their handshake was
 * forwarded): hold the chat for the sender instead of waiting for a counselor who left.
 */
export async function targetGone(ctx: RelayContext, staffId: StaffId): Promise<void> {
  // Both cases are held sessions of theirs (counselor or handover target): their index suffices.
  for (const s of await ctx.store.heldSessionsOf(staffId)) {
    const inFlight =
      (s.state === "transferring" && s.transferTo === staffId) ||
      (s.state === "assigned" && s.counselor === staffId);
    if (inFlight && s.previousCounselor && s.previousCounselor !== staffId)
      await holdHandover(ctx, s, "target-offline");
  }
}

/** `reclaim` by the sender of a held handover: a fresh handshake with them, or the queue. */
export async function reclaim(
  ctx: RelayContext,
  session: SessionRecord,
  sender: { id: StaffId; displayName: string },
  to: "me" | "queue",
): Promise<boolean> {
  const next =
    to === "me"
      ? await rekeyForTransfer(ctx, session, sender.id, null, sender.id)
      : await rekeyForTransfer(ctx, session, null, { from: sender.id, fromName: sender.displayName }, null);
  return next !== null;
}
