import {
  AckSchema,
  parse,
  FrameSchema,
  JoinSchema,
  ResumeSchema,
  type Queued,
  type SessionId,
  type SurvivorClientToServer,
  type StaffEnded,
  StillWaitingSchema,
  type SurvivorLeave,
  SurvivorLeaveSchema,
  shortId,
  TransferKeySchema,
} from "../../shared/protocol/index.ts";
import type { SessionRecord } from "../state/records.ts";
import { autoAssign } from "./assignment.ts";
import { availableNow, queueInfo } from "./broadcast.ts";
import { clientAddress } from "./client-address.ts";
import { type RelayContext, recordExpiry, sessionRoom, staffRoom } from "./context.ts";
import { forwardAck, forwardFrame } from "./forward.ts";
import { routeTransferred } from "./handover.ts";
import { socketGates } from "./rate-limit.ts";
import { listen, type SharedListener, shared } from "./safe-handler.ts";
import { endSession, mutate, queueName } from "./sessions.ts";
import { hashToken, newResumeToken, newSessionId, tokenMatches } from "./tokens.ts";
import { classifyFrame, own, relayError, wire } from "./wire.ts";

type ResumeReply = Omit<
  Extract<Parameters<Parameters<SurvivorClientToServer["resume"]>[1]>[0], { ok: true }>,
  "ok"
>;

type SurvivorSocket = Parameters<Parameters<RelayContext["survivors"]["on"]>[1]>[0];

const LEAVE_REASON = {
  ended: "visitor-left",
  "quick-exit": "quick-exit",
  wiped: "visitor-left",
} as const satisfies Record<string, StaffEnded["reason"]>;

export function sendChallenge(ctx: RelayContext, socket: SurvivorSocket): void {
  const now = ctx.deps.now();
  const difficulty = ctx.options.powDifficulty ?? ctx.admission.difficulty(ctx.stats.waiting);
  socket.emit("challenge", ctx.pow.issue(difficulty, now));
  // The next challenge reads the join rate as it is now (all nodes).
  ctx.admission.refresh(now).catch(() => ctx.log.warn("join rate refresh failed"));
}

/**
 * Waiting sessions, counted from the queue index (no record read). An entry whose record expired
 * counts until the sweep removes it, a sweep interval at most: the bound errs towards refusing.
 */
async function waitingCount(ctx: RelayContext): Promise<number> {
  let n = 0;
  for (const name of await ctx.store.queueNames()) n += (await ctx.store.queueIds(name)).length;
  return n;
}

/**
 * Why this socket may not start speaking for a session (`join` or `resume`), or null: the node is
 * stopping, or the socket already speaks for a session that still exists.
 */
async function cannotStart(
  ctx: RelayContext,
  socket: SurvivorSocket,
): Promise<"shutting-down" | "bad-state" | null> {
  if (ctx.closing()) return "shutting-down";
  if (socket.data.sessionId && (await ctx.store.getSession(socket.data.sessionId))) return "bad-state";
  return null;
}

/** The session this socket currently speaks for, if it still exists. */
async function ownSession(
  ctx: RelayContext,
  socket: SurvivorSocket,
  id: SessionId,
): Promise<SessionRecord | null> {
  if (socket.data.sessionId !== id) return null;
  const s = await ctx.store.getSession(id);
  return s && s.survivorSocket === socket.id ? s : null;
}

/** A new survivor socket: its rate-limit buckets, a challenge, and the namespace's shared listeners. */
export function onSurvivorConnection(
  ctx: RelayContext,
  socket: SurvivorSocket,
  listeners: readonly SharedListener[],
): void {
  socket.data.gates = socketGates(socket, ctx.options, ctx.deps.now, ctx.log, relayError);
  socket.data.sessionId = null;
  socket.data.quickExit = null;
  socket.data.queued = 0;
  sendChallenge(ctx, socket);
  listen(socket, listeners);
  socket.onAny(noteQuickExit);
}

/**
 * Runs as each event is read, before socket.io decides to emit it: an event read together with
 * the disconnect packet (the frame's `leave` and `disconnect()` held in one long-polling POST or
 * one TCP read) is dropped by socket.io, but its quick exit is noted here. Shared by every socket.
 */
function noteQuickExit(this: unknown, event: unknown, payload: unknown): void {
  if (event !== "leave") return;
  const socket = this as SurvivorSocket;
  const leave = parse(SurvivorLeaveSchema, payload);
  if (leave.ok && leave.value.reason === "quick-exit" && leave.value.sessionId === socket.data.sessionId)
    socket.data.quickExit = leave.value.sessionId;
}

/** The survivor left (`leave`, or closing the socket on purpose): ends the chat, counts a quick exit. */
async function survivorLeft(
  ctx: RelayContext,
  socket: SurvivorSocket,
  s: SessionRecord,
  reason: SurvivorLeave["reason"],
): Promise<void> {
  socket.data.sessionId = null;
  const ended = await endSession(ctx, s, { survivor: null, staff: LEAVE_REASON[reason] });
  // Counted by the node whose delete ended the chat, so once.
  if (ended && reason === "quick-exit") ctx.deps.serviceStats({ type: "quick-exit" });
}

/**
 * A survivor socket's requests that may wait in the relay's serial queue at once; more are
 * refused `rate-limited` at once. Threat: the queue is one for the whole node (joins, resumes,
 * keep-alives, the sweep, staff actions), and each socket's token bucket alone let requests in
 * faster than the store answers them: 150 sockets sending 60 `resume`s each (a store read apiece)
 * held a real survivor's `join` behind 9,000 of them, a second with Redis, and a few hundred
 * sockets sending within their buckets would grow the queue without end. The widget never has
 * more than one such request waiting (a keep-alive every 30 s, `leave` once).
 */
export const MAX_QUEUED_PER_SOCKET = 2;

/** Runs `task` in the serial queue unless this socket already has MAX_QUEUED_PER_SOCKET there. */
function queued(
  ctx: RelayContext,
  socket: SurvivorSocket,
  refuse: (code: "rate-limited") => void,
  task: () => Promise<void>,
): Promise<void> {
  if (socket.data.queued >= MAX_QUEUED_PER_SOCKET) {
    refuse("rate-limited");
    return Promise.resolve();
  }
  socket.data.queued++;
  return ctx.serial(task).finally(() => {
    socket.data.queued--;
  });
}

const gate = (socket: SurvivorSocket) => socket.data.gates.gate;
const silent = (socket: SurvivorSocket) => socket.data.gates.silent;
const acks = (socket: SurvivorSocket) => socket.data.gates.acks;

/**
 * The survivor namespace's listeners, built once per relay and shared by every survivor socket
 * (an idle survivor costs memory on the relay for as long as it waits; PROTOCOL.md, Limits).
 */
export function survivorListeners(ctx: RelayContext): readonly SharedListener[] {
  return [
    shared("join", {
      gate,
      schema: JoinSchema,
      handler: (socket: SurvivorSocket, join, { reply, refuse }) =>
        queued(ctx, socket, refuse, async () => {
          const busy = await cannotStart(ctx, socket);
          if (busy) return refuse(busy);
          const now = ctx.deps.now();
          const pow = await ctx.pow.redeem(join.pow, now);
          if (!pow.ok) {
            sendChallenge(ctx, socket);
            return refuse(pow.error);
          }
          // Refused joins count too: otherwise a flood of refused joins spends challenges for free.
          await ctx.admission.noteAttempt(now);
          if (!ctx.deps.languages.includes(join.language)) return refuse("bad-request");
          if (!(await ctx.deps.partnerExists(join.partner))) return refuse("bad-request");
          if (!(await ctx.deps.isOpen(join.partner, now))) {
            ctx.deps.serviceStats({ type: "refused", reason: "closed" });
            return refuse("closed");
          }
          const { address, headers } = socket.handshake;
          const client = ctx.admission.clientKey(
            clientAddress(address, headers["x-forwarded-for"], ctx.deps.trustProxy ?? false),
            now,
          );
          const full = () => {
            ctx.deps.serviceStats({ type: "refused", reason: "full" });
            return refuse("queue-full");
          };
          if ((await waitingCount(ctx)) >= ctx.options.maxWaiting) return full();
          const id = newSessionId();
          const resumeToken = newResumeToken();
          const record: SessionRecord = {
            id,
            version: 0,
            state: "waiting",
            epoch: 0,
            language: join.language,
            partner: join.partner,
            team: "default",
            survivorKey: own(join.survivorKey),
            resumeTokenHash: hashToken(resumeToken),
            previousTokenHash: null,
            previousTokenUntil: null,
            counselor: null,
            previousCounselor: null,
            transferTo: null,
            transfer: null,
            handshake: null,
            queuedAt: now,
            assignedAt: null,
            lastActivity: now,
            survivorSocket: socket.id,
            survivorNode: ctx.store.nodeId,
            survivorDisconnectedAt: null,
            expiresAt: recordExpiry(ctx, now),
          };
          // Written before its queue place is taken: a join racing on another node gives back
          // the places of sessions it cannot find waiting, and must see this one. Not yet in a
          // queue, nobody can assign it; refused, it is gone again before anyone could resume it.
          if (!(await ctx.store.createSession(record))) return refuse("internal");
          if (!(await ctx.admission.take(client, id, now, ctx.options.maxWaitingPerClient))) {
            await ctx.store.deleteSession(id);
            return full();
          }
          await ctx.store.enqueue(queueName(record), record.id, now, queueInfo(record));
          ctx.deps.serviceStats({ type: "offered" });
          socket.data.sessionId = record.id;
          await socket.join(sessionRoom(record.id));
          const position = (await ctx.store.queueIds(queueName(record))).length;
          ctx.log.info({ session: shortId(record.id), language: record.language }, "session queued");
          const counselorAvailable = (await ctx.store.listStaff()).some(availableNow);
          reply({
            ok: true,
            ...({
              sessionId: record.id,
              resumeToken,
              position,
              estimatedWaitSeconds: 0,
              counselorAvailable,
            } satisfies Queued),
          });
          ctx.changed();
          await autoAssign(ctx);
        }),
    }),

    shared("resume", {
      gate,
      schema: ResumeSchema,
      handler: (socket: SurvivorSocket, resume, { reply, refuse }) =>
        queued(ctx, socket, refuse, async () => {
          const busy = await cannotStart(ctx, socket);
          if (busy) return refuse(busy);
          const found = await ctx.store.getSession(resume.sessionId);
          const now = ctx.deps.now();
          // One code for "no such session" and "wrong token": no oracle for session ids.
          if (!found || !resumeTokenValid(resume.resumeToken, found, now)) return refuse("resume-failed");
          // The socket dropped while this waited (a node stopping closes its sockets, then runs
          // what is queued): no answer can reach it, so nothing changes and the token it holds
          // still works on its next connection.
          if (!socket.connected) return;
          // A resume can beat the server's noticing that the old connection died: close the old one.
          if (found.survivorSocket && found.survivorSocket !== socket.id) {
            ctx.survivors.in(found.survivorSocket).disconnectSockets(true);
          }
          const resumeToken = newResumeToken();
          // The token used stays valid beside the new one, in case this answer is lost: until the
          // new one is used, or this socket proves it holds it, and one resume grace period at most
          // (a survivor who never sends again must not leave a second key to the chat for as long
          // as it lasts). A previous token used here rotates again, so the token of the answer
          // that was lost is worth nothing from now on.
          const s = await mutate(ctx, found.id, (c) =>
            resumeTokenValid(resume.resumeToken, c, now)
              ? {
                  ...c,
                  survivorSocket: socket.id,
                  survivorNode: ctx.store.nodeId,
                  survivorDisconnectedAt: null,
                  resumeTokenHash: hashToken(resumeToken),
                  previousTokenHash: hashToken(resume.resumeToken),
                  previousTokenUntil: now + ctx.options.resumeGraceMs,
                  // Coming back is a sign of life for a waiting survivor (never for an idle chat).
                  lastActivity: c.state === "waiting" ? now : c.lastActivity,
                }
              : null,
          );
          if (!s) return refuse("resume-failed");
          if (!socket.connected) {
            // Dropped during the write: the answer with the new token is lost, so the old one
            // stands. Its disconnect, queued after this, marks the survivor gone.
            await mutate(ctx, s.id, (c) =>
              c.resumeTokenHash === s.resumeTokenHash
                ? {
                    ...c,
                    resumeTokenHash: found.resumeTokenHash,
                    previousTokenHash: found.previousTokenHash,
                    previousTokenUntil: found.previousTokenUntil,
                  }
                : null,
            );
            socket.data.sessionId = s.id;
            return;
          }
          socket.data.sessionId = s.id;
          await socket.join(sessionRoom(s.id));
          reply({ ok: true, ...({ epoch: s.epoch, resumeToken } satisfies ResumeReply) });
          socket.data.unconfirmed = s.id;
          ctx.log.info({ session: shortId(s.id) }, "session resumed");
          if (s.state === "active" && s.handshake) {
            socket.emit("accepted", { sessionId: s.id, epoch: s.epoch, handshake: wire(s.handshake) });
          }
          if (s.state === "transferring" || s.state === "held")
            socket.emit("transferring", { sessionId: s.id, epoch: s.epoch });
          if (s.counselor) {
            ctx.staff.to(staffRoom(s.counselor)).emit("peer", { sessionId: s.id, connected: true });
            // The counselor's console may have come back (to any node) before this socket joined
            // the session's room, and its `peer` went to nobody: say now that it is there.
            if (s.state === "active" && ((await ctx.store.getStaff(s.counselor))?.connections ?? 0) > 0)
              socket.emit("peer", { sessionId: s.id, connected: true });
          }
          ctx.changed();
        }),
    }),

    shared("transfer-key", {
      gate,
      schema: TransferKeySchema,
      handler: (socket: SurvivorSocket, key, { reply, refuse }) =>
        queued(ctx, socket, refuse, async () => {
          const s = await ownSession(ctx, socket, key.sessionId);
          if (!s) return refuse("not-your-session");
          if (s.state !== "transferring" && s.state !== "held") return refuse("bad-state");
          const next = await mutate(ctx, s.id, (c) =>
            c.state === s.state && c.epoch === s.epoch ? { ...c, survivorKey: own(key.survivorKey) } : null,
          );
          if (!next) return refuse("bad-state");
          reply({ ok: true });
          // A held chat waits for its sender's decision; the key is kept, and replaced by a newer one.
          if (next.state === "transferring") await routeTransferred(ctx, next);
        }),
    }),

    shared("frame", {
      gate,
      schema: FrameSchema,
      classify: classifyFrame,
      handler: async (socket: SurvivorSocket, frame, { reply, refuse }) => {
        if (socket.data.sessionId !== frame.sessionId) return refuse("not-your-session");
        // Forwarded first, in the order frames arrive (awaiting the confirmation first would let
        // the next frame overtake this one).
        const [error] = await Promise.all([
          forwardFrame(ctx, { side: "survivor", socketId: socket.id }, frame),
          confirmResume(ctx, socket),
        ]);
        if (error) return refuse(error);
        reply({ ok: true });
      },
    }),

    shared("ack", {
      gate: acks,
      schema: AckSchema,
      handler: async (socket: SurvivorSocket, ack) => {
        if (socket.data.sessionId !== ack.sessionId) return;
        await forwardAck(ctx, { side: "survivor", socketId: socket.id }, ack);
      },
    }),

    shared("waiting", {
      gate: silent,
      schema: StillWaitingSchema,
      handler: (socket: SurvivorSocket, still, { reply, refuse }) =>
        queued(ctx, socket, refuse, async () => {
          const s = await ownSession(ctx, socket, still.sessionId);
          if (!s) return refuse("not-your-session");
          await confirmResume(ctx, socket);
          // After assignment the keep-alive is harmless and changes nothing (idle time is frames).
          if (s.state === "waiting") {
            const now = ctx.deps.now();
            await mutate(ctx, s.id, (c) => (c.state === "waiting" ? { ...c, lastActivity: now } : null));
          }
          reply({ ok: true });
        }),
    }),

    shared("leave", {
      gate: silent,
      schema: SurvivorLeaveSchema,
      handler: (socket: SurvivorSocket, leave, { reply, refuse }) =>
        queued(ctx, socket, refuse, async () => {
          const s = await ownSession(ctx, socket, leave.sessionId);
          // Leaving is idempotent: a second leave, or one for a session already gone, is fine.
          if (!s) return reply({ ok: true });
          await survivorLeft(ctx, socket, s, leave.reason);
          reply({ ok: true });
          sendChallenge(ctx, socket);
          await autoAssign(ctx);
        }),
    }),

    { event: "disconnect", listener: onDisconnect(ctx) },
  ];
}

/**
 * The current token, or the previous one while it is still accepted (before its deadline, kept in
 * the record so that every node refuses it alike); both compared in constant time.
 */
function resumeTokenValid(token: string, s: SessionRecord, now: number): boolean {
  const current = tokenMatches(token, s.resumeTokenHash);
  const previous =
    s.previousTokenHash !== null &&
    s.previousTokenUntil !== null &&
    now < s.previousTokenUntil &&
    tokenMatches(token, s.previousTokenHash);
  return current || previous;
}

/**
 * The first `frame` or `waiting` of a resumed socket: a client sends these for its chat only once
 * the resume is answered, so it holds the new token and the previous one is withdrawn.
 */
async function confirmResume(ctx: RelayContext, socket: SurvivorSocket): Promise<void> {
  const id = socket.data.unconfirmed;
  if (!id) return;
  socket.data.unconfirmed = null;
  await mutate(ctx, id, (c) =>
    c.survivorSocket === socket.id && c.previousTokenHash !== null
      ? { ...c, previousTokenHash: null, previousTokenUntil: null }
      : null,
  );
}

function onDisconnect(ctx: RelayContext): SharedListener["listener"] {
  return function (this: unknown, reason: unknown) {
    const socket = this as SurvivorSocket;
    if (ctx.closing()) return;
    // The survivor's own code closed the socket (End chat, quick exit, a wipe): that is leaving,
    // not a dropped network, so there is nothing to resume. socket.io ignores an event that
    // arrives in the same read as the disconnect packet, so a `leave` sent just before may
    // never run: end the session here too instead of waiting out the resume grace (as a quick
    // exit if that leave said so, noteQuickExit).
    const deliberate = reason === "client namespace disconnect";
    const now = ctx.deps.now();
    ctx
      .serial(async () => {
        // The session is read when this task runs, not now: a `join` or `resume` of this socket
        // queued ahead of it (the socket dropped while the store answered) has set it by then.
        // Read now, it would be null, and that session would stay bound to a socket that is gone:
        // no resume grace, and its counselor told the survivor is there.
        const id = socket.data.sessionId;
        if (!id) return;
        // Joined after socket.io's own clean-up of this socket's rooms: leave again.
        void socket.leave(sessionRoom(id));
        if (deliberate) {
          const s = await ownSession(ctx, socket, id);
          if (!s) return;
          await survivorLeft(ctx, socket, s, socket.data.quickExit === id ? "quick-exit" : "ended");
          await autoAssign(ctx);
          return;
        }
        await survivorGone(ctx, socket, id, now);
      })
      .catch(() => ctx.log.warn("survivor disconnect handling failed"));
  };
}

/**
 * The survivor's connection is gone, not by their choice: the session waits for a resume, and the
 * resume grace, measured by every node from the record, starts at `now`.
 */
async function survivorGone(
  ctx: RelayContext,
  socket: SurvivorSocket,
  id: SessionId,
  now: number,
): Promise<void> {
  const s = await mutate(ctx, id, (c) =>
    c.survivorSocket === socket.id
      ? { ...c, survivorSocket: null, survivorNode: null, survivorDisconnectedAt: now }
      : null,
  );
  if (s?.counselor) ctx.staff.to(staffRoom(s.counselor)).emit("peer", { sessionId: s.id, connected: false });
  ctx.changed();
}

/**
 * A node handing over (stopping with a shared store) has closed its transports, but some may not
 * close at once: engine.io waits for a long-polling client's next request to carry the close, up
 * to 30 s, and for a WebSocket's unsent packets to drain first. Their disconnect would come after
 * the node stopped handling it, and each session would stay bound to a socket on a node that is
 * gone: no resume grace on the other nodes, its counselor never told. Recorded now instead, at
 * the moment the node lets go (the disconnect, if it ever runs, then finds nothing to change).
 */
export async function handOverSurvivors(ctx: RelayContext, sockets: Iterable<SurvivorSocket>): Promise<void> {
  const now = ctx.deps.now();
  for (const socket of sockets) {
    const id = socket.data.sessionId;
    if (id) await survivorGone(ctx, socket, id, now);
  }
}
