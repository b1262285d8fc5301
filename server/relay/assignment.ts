import {
  type Assigned,
  MAX_EPOCH,
  type RelayErrorCode,
  type StaffId,
  shortId,
} from "../../shared/protocol/index.ts";
import type { SessionRecord, StaffPresence } from "../state/records.ts";
import { type RelayContext, sessionRoom, staffRoom } from "./context.ts";
import { assignedMessage, endSession, mutate, queueName } from "./sessions.ts";

/** Chats a counselor holds: assigned or active, plus handovers on their way to them. */
export async function chatCount(ctx: RelayContext, id: StaffId): Promise<number> {
  const sessions = await ctx.store.listSessions();
  return sessions.filter((s) => s.counselor === id || (s.state === "transferring" && s.transferTo === id))
    .length;
}

/**
 * Why this staff member may not receive a chat now, or null. Pushed chats (auto-assignment,
 * handovers) need `available`; a counselor who is `away` may still pick one with `take`; `break`
 * (decompression) refuses both. `staffRefusal` catches a disabled or revoked account and a
 * certificate that expired while connected.
 */
export async function ineligibility(
  ctx: RelayContext,
  presence: StaffPresence | null,
  how: "pushed" | "taken" = "pushed",
): Promise<RelayErrorCode | null> {
  if (!presence || presence.connections === 0) return "not-available";
  if (!presence.certified) return "not-certified";
  if (presence.status === "break" || (how === "pushed" && presence.status !== "available"))
    return "not-available";
  if ((await chatCount(ctx, presence.id)) >= presence.chatLimit) return "chat-limit";
  const refusal = await ctx.deps.staffRefusal(presence.id);
  if (refusal) return refusal;
  return null;
}

/** Moves a claimed (already dequeued) waiting session to `assigned` for this counselor. */
async function assign(ctx: RelayContext, session: SessionRecord, to: StaffId): Promise<SessionRecord | null> {
  const now = ctx.deps.now();
  const next = await mutate(ctx, session.id, (s) =>
    s.state === "waiting"
      ? { ...s, state: "assigned", counselor: to, assignedAt: now, lastActivity: now }
      : null,
  );
  if (next) {
    ctx.admission.release(next.id);
    const waited = now - next.queuedAt;
    ctx.stats.averageWaitMs = ctx.stats.averageWaitMs * 0.8 + waited * 0.2;
    ctx.log.info({ session: shortId(next.id), staff: shortId(to) }, "session assigned");
    ctx.changed();
  }
  return next;
}

/** Oldest waiting session (across queues) whose survivor is connected, claimed from its queue. */
async function claimNext(ctx: RelayContext): Promise<SessionRecord | null> {
  const candidates: SessionRecord[] = [];
  for (const name of await ctx.store.queueNames()) {
    for (const id of await ctx.store.queueIds(name)) {
      const s = await ctx.store.getSession(id);
      if (s && s.state === "waiting" && s.survivorSocket !== null) {
        candidates.push(s);
        break;
      }
    }
  }
  candidates.sort((a, b) => a.queuedAt - b.queuedAt);
  for (const s of candidates) if (await ctx.store.dequeue(queueName(s), s.id)) return s;
  return null;
}

/** `take`: a specific waiting session, or the longest-waiting one. */
export async function take(
  ctx: RelayContext,
  staffId: StaffId,
  sessionId: SessionRecord["id"] | undefined,
): Promise<{ ok: true; assigned: Assigned } | { ok: false; error: RelayErrorCode }> {
  const refusal = await ineligibility(ctx, await ctx.store.getStaff(staffId), "taken");
  if (refusal) return { ok: false, error: refusal };
  let claimed: SessionRecord | null;
  if (sessionId) {
    const s = await ctx.store.getSession(sessionId);
    claimed = s && s.state === "waiting" && (await ctx.store.dequeue(queueName(s), s.id)) ? s : null;
    if (!claimed) return { ok: false, error: "unknown-session" };
  } else {
    claimed = await claimNext(ctx);
    if (!claimed) return { ok: false, error: "no-one-waiting" };
  }
  const assigned = await assign(ctx, claimed, staffId);
  if (!assigned) return { ok: false, error: "unknown-session" };
  return { ok: true, assigned: assignedMessage(assigned, ctx.deps.now()) };
}

/** Gives waiting chats to available counselors with room, fewest chats first. */
export async function autoAssign(ctx: RelayContext): Promise<void> {
  if (ctx.closing()) return;
  for (;;) {
    const ready: { id: StaffId; chats: number }[] = [];
    for (const p of await ctx.store.listStaff()) {
      if ((await ineligibility(ctx, p)) === null) ready.push({ id: p.id, chats: await chatCount(ctx, p.id) });
    }
    ready.sort((a, b) => a.chats - b.chats);
    const to = ready[0];
    if (!to) return;
    const claimed = await claimNext(ctx);
    if (!claimed) return;
    const assigned = await assign(ctx, claimed, to.id);
    if (assigned) ctx.staff.to(staffRoom(to.id)).emit("assigned", assignedMessage(assigned, ctx.deps.now()));
  }
}

/**
 * Starts a new epoch and asks the survivor for a fresh key: for a handover to `to`, or (to = null)
 * back to the queue when the counselor was cut off or never came back. Frames of the old epoch
 * are refused from here on.
 */
export async function rekeyForTransfer(
  ctx: RelayContext,
  session: SessionRecord,
  to: StaffId | null,
  transfer: SessionRecord["transfer"],
): Promise<SessionRecord | null> {
  if (session.epoch >= MAX_EPOCH) {
    await endSession(ctx, session, { survivor: "transfer-failed", staff: "expired" });
    return null;
  }
  const from = session.counselor;
  const next = await mutate(ctx, session.id, (s) =>
    s.epoch === session.epoch && s.counselor === session.counselor
      ? {
          ...s,
          state: "transferring",
          epoch: s.epoch + 1,
          counselor: null,
          previousCounselor: to ? from : null,
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

/** After `transfer-key`: straight to the chosen counselor if they still can, else to the queue. */
export async function routeTransferred(ctx: RelayContext, session: SessionRecord): Promise<void> {
  const now = ctx.deps.now();
  const target = session.transferTo ? await ctx.store.getStaff(session.transferTo) : null;
  if (target && (await ineligibility(ctx, target)) === null) {
    const next = await mutate(ctx, session.id, (s) =>
      s.state === "transferring"
        ? { ...s, state: "assigned", counselor: target.id, transferTo: null, assignedAt: now }
        : null,
    );
    if (next) ctx.staff.to(staffRoom(target.id)).emit("assigned", assignedMessage(next, now));
    ctx.changed();
    return;
  }
  // The handover left the first counselor's hands either way: tell them now.
  if (session.previousCounselor) {
    ctx.staff
      .to(staffRoom(session.previousCounselor))
      .emit("ended", { sessionId: session.id, reason: "transferred" });
  }
  const next = await mutate(ctx, session.id, (s) =>
    s.state === "transferring"
      ? { ...s, state: "waiting", transferTo: null, previousCounselor: null, lastActivity: now }
      : null,
  );
  if (next) await ctx.store.enqueue(queueName(next), next.id, next.queuedAt);
  ctx.changed();
  await autoAssign(ctx);
}
