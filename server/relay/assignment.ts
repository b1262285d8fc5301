import {
  type Assigned,
  type Language,
  type RelayErrorCode,
  type SessionId,
  type StaffId,
  shortId,
} from "../../shared/protocol/index.ts";
import type { SessionRecord, StaffPresence } from "../state/records.ts";
import { queueInfo } from "./broadcast.ts";
import { type RelayContext, staffRoom } from "./context.ts";
import { assignedMessage, mutate, queueName } from "./sessions.ts";

/**
 * Chats a counselor holds: assigned or active, plus handovers on their way to them. `except`
 * leaves out the chat being handed to them, so it does not count against their limit twice
 * (once as "on its way", once as the chat they would receive).
 */
export function countChats(sessions: readonly SessionRecord[], id: StaffId, except?: SessionId): number {
  return sessions.filter(
    (s) => s.id !== except && (s.counselor === id || (s.state === "transferring" && s.transferTo === id)),
  ).length;
}

export async function chatCount(ctx: RelayContext, id: StaffId, except?: SessionId): Promise<number> {
  return countChats(await ctx.store.heldSessionsOf(id), id, except);
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
  /** This counselor's held sessions, if the caller read them already. */
  held?: readonly SessionRecord[],
): Promise<RelayErrorCode | null> {
  if (!presence || presence.connections === 0) return "not-available";
  if (!presence.certified) return "not-certified";
  if (presence.status === "break" || (how === "pushed" && presence.status !== "available"))
    return "not-available";
  const chats = held ? countChats(held, presence.id) : await chatCount(ctx, presence.id);
  if (chats >= presence.chatLimit) return "chat-limit";
  const refusal = await ctx.deps.staffRefusal(presence.id);
  if (refusal) return refusal;
  return null;
}

/** Moves a claimed (already dequeued) waiting session to `assigned` for this counselor. */
async function assign(ctx: RelayContext, session: SessionRecord, to: StaffId): Promise<SessionRecord | null> {
  const now = ctx.deps.now();
  /** Never assigned before: a chat back in the queue after a transfer was answered already. */
  let first = false;
  const next = await mutate(ctx, session.id, (s) => {
    first = s.assignedAt === null;
    return s.state === "waiting"
      ? { ...s, state: "assigned", counselor: to, assignedAt: now, lastActivity: now }
      : null;
  });
  if (next) {
    await ctx.admission.release(next.id);
    const waited = now - next.queuedAt;
    // The compare-and-set above succeeds on one node only: the answer is counted once.
    if (first) ctx.deps.serviceStats({ type: "answered", waitMs: waited });
    ctx.stats.averageWaitMs = ctx.stats.averageWaitMs * 0.8 + waited * 0.2;
    ctx.log.info({ session: shortId(next.id), staff: shortId(to) }, "session assigned");
    ctx.changed();
  }
  return next;
}

/**
 * `assign` for a session this caller dequeued. If it fails (the compare-and-set lost every retry
 * to keep-alives or other nodes, or the store failed) while the record is still waiting, the
 * entry goes back in its queue where it was (score `queuedAt`): no one else can claim it, and a
 * waiting record without its entry would wait unseen until its deadline.
 */
async function assignClaimed(
  ctx: RelayContext,
  claimed: SessionRecord,
  to: StaffId,
): Promise<SessionRecord | null> {
  let assigned: SessionRecord | null = null;
  try {
    assigned = await assign(ctx, claimed, to);
  } finally {
    if (!assigned) {
      const s = await ctx.store.getSession(claimed.id);
      if (s?.state === "waiting") {
        await ctx.store.enqueue(queueName(s), s.id, s.queuedAt, queueInfo(s));
        ctx.changed();
      }
    }
  }
  return assigned;
}

/**
 * Oldest waiting session (across queues) whose survivor is connected and that `fits`, claimed
 * from its queue. A survivor whose socket is on a node that died is not connected: they come
 * back through another node (and are served then) or their grace ends the chat.
 */
async function claimNext(
  ctx: RelayContext,
  fits: (s: SessionRecord) => boolean = () => true,
): Promise<SessionRecord | null> {
  const candidates: SessionRecord[] = [];
  const dead = await ctx.store.deadNodes();
  const connected = (s: SessionRecord) =>
    s.survivorSocket !== null && (s.survivorNode === null || !dead.has(s.survivorNode));
  for (const name of await ctx.store.queueNames()) {
    for (const id of await ctx.store.queueIds(name)) {
      const s = await ctx.store.getSession(id);
      if (s && s.state === "waiting" && connected(s) && fits(s)) {
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
    // "Longest waiting" means longest waiting in a language this counselor speaks; a specific
    // chat in another language may still be taken on purpose (the queue shows each language).
    const speaks = (await ctx.store.getStaff(staffId))?.languages ?? [];
    claimed = await claimNext(ctx, (s) => speaks.includes(s.language));
    if (!claimed) return { ok: false, error: "no-one-waiting" };
  }
  const assigned = await assignClaimed(ctx, claimed, staffId);
  if (!assigned) return { ok: false, error: "unknown-session" };
  return { ok: true, assigned: assignedMessage(assigned, ctx.deps.now()) };
}

/**
 * Gives waiting chats to available counselors with room, fewest chats first, and only to one
 * who counsels in the chat's language: a chat in Urdu waits for an Urdu-speaking counselor
 * rather than going to someone who cannot read it. A chat that was handed over never goes back
 * to the counselor who handed it over on its own: they let it go for a reason, and the note and
 * transcript were sealed to someone else.
 */
export async function autoAssign(ctx: RelayContext): Promise<void> {
  if (ctx.closing()) return;
  /** Chats whose assignment failed this round (back in the queue): the next trigger tries again. */
  const passed = new Set<SessionId>();
  for (;;) {
    const ready: { id: StaffId; chats: number; languages: readonly Language[] }[] = [];
    // Only a counselor who could take a chat has theirs read, from their own index: while
    // survivors pile up waiting for someone to free up, a join reads no session at all.
    for (const p of await ctx.store.listStaff()) {
      if (!(p.connections > 0 && p.certified && p.status === "available")) continue;
      const theirs = await ctx.store.heldSessionsOf(p.id);
      if ((await ineligibility(ctx, p, "pushed", theirs)) === null)
        ready.push({ id: p.id, chats: countChats(theirs, p.id), languages: p.languages });
    }
    ready.sort((a, b) => a.chats - b.chats);
    if (ready.length === 0) return;
    const pick = (s: SessionRecord) =>
      ready.find((r) => r.id !== s.transfer?.from && r.languages.includes(s.language));
    const claimed = await claimNext(ctx, (s) => !passed.has(s.id) && pick(s) !== undefined);
    if (!claimed) return;
    const to = pick(claimed);
    if (!to) return;
    const assigned = await assignClaimed(ctx, claimed, to.id);
    if (!assigned) passed.add(claimed.id);
    if (assigned) ctx.staff.to(staffRoom(to.id)).emit("assigned", assignedMessage(assigned, ctx.deps.now()));
  }
}
