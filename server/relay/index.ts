import type { Server } from "socket.io";
import {
  ACK_BURST,
  ACKS_PER_SECOND,
  FRAME_BURST,
  FRAMES_PER_SECOND,
  IDLE_TIMEOUT_MS,
  MAX_WAITING_PER_CLIENT,
  RESUME_GRACE_MS,
  STAFF_NAMESPACE,
  type StaffId,
  SURVIVOR_NAMESPACE,
  WAITING_SILENCE_MS,
} from "../../shared/protocol/index.ts";
import { MemoryStore } from "../state/memory-store.ts";
import type { RelayStore } from "../state/store.ts";
import { Admission } from "./admission.ts";
import { redeemWrapupToken } from "./wrapup-tokens.ts";
import { BROADCAST_INTERVAL_MS, broadcast } from "./broadcast.ts";
import {
  type RelayContext,
  type RelayStats,
  type ResolvedOptions,
  type StaffNamespace,
  type SurvivorNamespace,
  sessionRoom,
} from "./context.ts";
import type { RelayDeps, RelayHandle } from "./deps.ts";
import { PowIssuer } from "./pow.ts";
import { autoAssign } from "./assignment.ts";
import { onStaffConnection } from "./staff-handlers.ts";
import {
  handOverSurvivors,
  onSurvivorConnection,
  sendChallenge,
  survivorListeners,
} from "./survivor-handlers.ts";
import { helloOf, isReplaced } from "./desk.ts";
import { releaseStaff, sweep } from "./sweep.ts";
import { limitUnread } from "./unread-limit.ts";

export type { RelayDeps, RelayHandle, StaffLogin, StaffPrincipal, StaffRole } from "./deps.ts";
export { relayServerOptions } from "./server-options.ts";
export { refuseOversizedPolling } from "./oversized-polling.ts";

const loginRoom = (loginId: string) => `login:${loginId}`;
/** How often a staff socket's use renews its login (server/auth: four hours idle logs out). */
export const LOGIN_RENEW_MS = 60_000;

/** Chats waiting at once before `join` answers `queue-full`. */
export const DEFAULT_MAX_WAITING = 500;

/** Timings tests shorten; production uses the limits.ts defaults. */
export type RelayOptions = Readonly<{
  resumeGraceMs?: number;
  idleTimeoutMs?: number;
  /** Fixed proof-of-work difficulty (leading zero bits), for tests; otherwise it follows the queue. */
  powDifficulty?: number;
  maxWaiting?: number;
  /** Queue places per client address; default MAX_WAITING_PER_CLIENT. */
  maxWaitingPerClient?: number;
  /** Silence after which a waiting session loses its place; default WAITING_SILENCE_MS. */
  waitingSilenceMs?: number;
  /** Per-socket token bucket; defaults FRAME_BURST / FRAMES_PER_SECOND (the bench raises it to find capacity). */
  rateLimit?: Readonly<{ burst: number; perSecond: number }>;
  /** Per-socket bucket for acks alone; defaults ACK_BURST / ACKS_PER_SECOND (twice `rateLimit` if that is set). */
  ackRateLimit?: Readonly<{ burst: number; perSecond: number }>;
  /** Defaults to the in-memory store; a Redis store plugs in here. */
  store?: RelayStore;
  /**
   * The store outlives this process (Redis, several nodes): shutting down hands clients over to
   * another node instead of ending their chats.
   */
  handOver?: boolean;
}>;

function resolve(options: RelayOptions): ResolvedOptions {
  const resumeGraceMs = options.resumeGraceMs ?? RESUME_GRACE_MS;
  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const waitingSilenceMs = options.waitingSilenceMs ?? WAITING_SILENCE_MS;
  return {
    resumeGraceMs,
    idleTimeoutMs,
    powDifficulty: options.powDifficulty ?? null,
    maxWaiting: options.maxWaiting ?? DEFAULT_MAX_WAITING,
    maxWaitingPerClient: options.maxWaitingPerClient ?? MAX_WAITING_PER_CLIENT,
    waitingSilenceMs,
    rateLimit: options.rateLimit ?? { burst: FRAME_BURST, perSecond: FRAMES_PER_SECOND },
    ackRateLimit:
      options.ackRateLimit ??
      (options.rateLimit
        ? { burst: 2 * options.rateLimit.burst, perSecond: 2 * options.rateLimit.perSecond }
        : { burst: ACK_BURST, perSecond: ACKS_PER_SECOND }),
    // Deadlines are checked by one periodic sweep: late by at most a quarter of the shortest one.
    sweepIntervalMs: Math.min(
      5000,
      Math.max(20, Math.floor(Math.min(resumeGraceMs, idleTimeoutMs, waitingSilenceMs) / 4)),
    ),
  };
}

/**
 * Attaches the survivor and staff namespaces to a socket.io server. The caller owns the server
 * (create it with `relayServerOptions`) and its http listener; the relay owns only its
 * namespaces, its timers and the session state.
 */
export function attachRelay(io: Server, deps: RelayDeps, options: RelayOptions = {}): RelayHandle {
  const store = options.store ?? new MemoryStore(deps.now);
  const stats: RelayStats = { waiting: 0, active: 0, averageWaitMs: 120_000 };
  const survivors = io.of(SURVIVOR_NAMESPACE) as unknown as SurvivorNamespace;
  const staff = io.of(STAFF_NAMESPACE) as unknown as StaffNamespace;
  let closing = false;
  /** Handing over: no new sockets, but disconnects are still recorded in the shared store. */
  let draining = false;
  let tail: Promise<unknown> = Promise.resolve();
  /** The next queue/load push, if one is due; at most one per BROADCAST_INTERVAL_MS. */
  let pendingBroadcast: NodeJS.Timeout | null = null;
  let lastBroadcast = Number.NEGATIVE_INFINITY;

  const ctx: RelayContext = {
    deps,
    log: deps.logger.child({ component: "relay" }),
    options: resolve(options),
    store,
    pow: new PowIssuer(deps.secret, store),
    admission: new Admission(deps.secret, store),
    survivors,
    staff,
    serial: <T>(task: () => Promise<T>): Promise<T> => {
      const run = tail.then(task, task);
      tail = run.catch(() => undefined);
      return run;
    },
    // Trailing edge: a change after a quiet spell goes out on the next tick; changes during the
    // interval after a push are gathered into one push at its end, which reads the store then,
    // so the last change is never missed. A burst of n changes costs one snapshot per interval,
    // not n (each snapshot reads every queue entry and every held session).
    changed: () => {
      if (pendingBroadcast || closing) return;
      const wait = Math.max(0, lastBroadcast + BROADCAST_INTERVAL_MS - performance.now());
      pendingBroadcast = setTimeout(() => {
        lastBroadcast = performance.now();
        ctx
          .serial(async () => {
            // Cleared once the push starts: a change during it schedules the next one.
            pendingBroadcast = null;
            await broadcast(ctx);
          })
          .catch(() => ctx.log.warn("broadcast failed"));
      }, wait);
      pendingBroadcast.unref();
    },
    closing: () => closing,
    stats,
  };

  // Every answer the relay queues counts against its connection's unread output (unread-limit.ts).
  limitUnread(io);
  survivors.use((_socket, next) => next(closing || draining ? new Error("shutting-down") : undefined));
  const survivorEvents = survivorListeners(ctx);
  survivors.on("connection", (socket) => onSurvivorConnection(ctx, socket, survivorEvents));

  // The cookie header is handed over, never logged, never stored on the socket (only the login's
  // renewal, in memory, can use it again).
  staff.use((socket, next) => {
    if (closing || draining) return next(new Error("shutting-down"));
    deps.authenticateStaff(socket.handshake.headers.cookie).then(
      (login) => {
        if (!login) return next(new Error("unauthenticated"));
        // A console page another one replaced: told so, not let in to answer its chats.
        return store.getStaff(login.principal.id).then(
          (presence) => {
            if (isReplaced(presence, helloOf(socket.handshake.auth))) return next(new Error("replaced"));
            socket.data.principal = login.principal;
            void socket.join(loginRoom(login.loginId));
            if (login.renew) renewOnUse(socket, login.renew);
            next();
          },
          // The store did not answer: refused like a restart (the console tries again shortly).
          () => next(new Error("shutting-down")),
        );
      },
      () => next(new Error("unauthenticated")),
    );
  });
  staff.on("connection", (socket) => onStaffConnection(ctx, socket));

  /**
   * A login is renewed when its counselor acts on the socket (at most once a minute), as an
   * HTTP request renews it: their only traffic may be the socket for hours. A renewal that finds
   * the login gone (idle, past its end, logged out, account disabled) cuts the socket at once;
   * the console's reconnect is refused `unauthenticated` and it asks for the password. Not
   * awaited: every event goes on in the order it came.
   */
  function renewOnUse(socket: Parameters<Parameters<typeof staff.use>[0]>[0], renew: () => Promise<boolean>) {
    let checkedAt = deps.now();
    socket.use((_event, next) => {
      const now = deps.now();
      if (now - checkedAt >= LOGIN_RENEW_MS) {
        checkedAt = now;
        void renew().then((live) => {
          if (!live && socket.connected) socket.disconnect(true);
        });
      }
      next();
    });
  }

  const timer = setInterval(() => {
    ctx.serial(() => sweep(ctx)).catch(() => ctx.log.warn("sweep failed"));
  }, ctx.options.sweepIntervalMs);
  timer.unref();

  return {
    shutdown: async () => {
      if (closing) return;
      clearInterval(timer);
      if (options.handOver) {
        // Another node carries on: close the transports only, so clients see a dropped network
        // (not `server-shutdown`, not `io server disconnect`), reconnect through the balancer
        // and resume. The disconnect handlers still run, so the other side is told `peer`
        // and the survivor's resume grace starts as for any dropped connection.
        draining = true;
        for (const socket of [...survivors.sockets.values(), ...staff.sockets.values()]) socket.conn.close();
        await new Promise((resolve) => setImmediate(resolve));
        // Sockets whose transport has not closed yet (their disconnect has not run). engine.io
        // reads no packet from a transport it is closing, so nothing is queued after this.
        const open = [...survivors.sockets.values()];
        await ctx
          .serial(() => handOverSurvivors(ctx, open))
          .catch(() => ctx.log.warn("marking survivors disconnected failed"));
        closing = true;
        if (pendingBroadcast) clearTimeout(pendingBroadcast);
        pendingBroadcast = null;
        ctx.log.info("relay handed over");
        return;
      }
      closing = true;
      if (pendingBroadcast) clearTimeout(pendingBroadcast);
      pendingBroadcast = null;
      await ctx.serial(async () => {
        for (const s of await store.listSessions()) {
          survivors.to(`session:${s.id}`).emit("ended", { sessionId: s.id, reason: "server-shutdown" });
          for (const id of new Set([s.counselor, s.previousCounselor])) {
            if (id) staff.to(`staff:${id}`).emit("ended", { sessionId: s.id, reason: "server-shutdown" });
          }
        }
        survivors.disconnectSockets(true);
        staff.disconnectSockets(true);
        await store.clear();
        stats.waiting = 0;
        stats.active = 0;
      });
      ctx.log.info("relay shut down");
    },
    disconnectStaff: (id: StaffId) => {
      staff.in(`staff:${id}`).disconnectSockets(true);
      ctx
        .serial(async () => {
          const p = await store.getStaff(id);
          await releaseStaff(ctx, id, p?.displayName ?? "");
        })
        .catch(() => ctx.log.warn("staff release failed"));
    },
    setLanguages: (id, languages) => {
      ctx
        .serial(async () => {
          const p = await store.getStaff(id);
          if (!p) return;
          await store.putStaff({ ...p, languages });
          ctx.changed();
          await autoAssign(ctx);
        })
        .catch(() => ctx.log.warn("staff languages update failed"));
    },
    disconnectLogins: (loginIds) => {
      if (loginIds.length > 0) staff.in(loginIds.map(loginRoom)).disconnectSockets(true);
    },
    storeLost: async () => {
      if (closing || draining) return;
      ctx.log.warn("shared state lost (store restarted without its data): chats and logins end");
      await ctx.serial(async () => {
        for (const socket of survivors.sockets.values()) {
          const id = socket.data.sessionId;
          // A chat opened since the store came back is still there: only the lost ones end.
          if (!id || (await store.getSession(id))) continue;
          socket.data.sessionId = null;
          socket.emit("ended", { sessionId: id, reason: "server-shutdown" });
          void socket.leave(sessionRoom(id));
          sendChallenge(ctx, socket);
        }
        // This node's sockets only (the namespace-wide call would reach every node's).
        for (const socket of [...staff.sockets.values()]) socket.disconnect(true);
      });
      ctx.changed();
    },
    redeemWrapup: (id, token) => redeemWrapupToken(store, id, token),
    counts: () => ({
      waiting: stats.waiting,
      active: stats.active,
      survivors: survivors.sockets.size,
      staff: staff.sockets.size,
    }),
  };
}
