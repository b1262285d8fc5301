import { createServer, type Server as HttpServer } from "node:http";
import type express from "express";
import { sql } from "kysely";
import type { DestinationStream, Logger } from "pino";
import { randomBytes } from "node:crypto";
import { Server } from "socket.io";
import { STAFF_NAMESPACE } from "../shared/protocol/index.ts";
import { createLoginLimiter, DEFAULT_LIMITER_POLICY, type LimiterPolicy } from "./auth/login-limiter.ts";
import { DEFAULT_SCRYPT_COST, type ScryptCost } from "./auth/password-hash.ts";
import { resolveSecret } from "./auth/secret.ts";
import { prepareSetupCode } from "./auth/setup-code.ts";
import { createSessionStore, DEFAULT_SESSION_TIMES, type SessionTimes } from "./auth/sessions.ts";
import type { Config } from "./config.ts";
import {
  applyRetention,
  createRepositories,
  demoOrigins,
  type OpenedDatabase,
  openDatabase,
  type Repositories,
} from "./db/index.ts";
import { createHttpApp } from "./http/app.ts";
import { applyBaselineHeaders, transportSecurityHeaders } from "./http/transport-headers.ts";
import { createMetricsApp } from "./http/routes/health.ts";
import type { HttpContext } from "./http/context.ts";
import { createHttpMetrics } from "./http/metrics.ts";
import { createLogger } from "./log.ts";
import { createDistFiles, type DistFiles } from "./pages/dist-files.ts";
import { attachRelay, type RelayOptions, refuseOversizedPolling, relayServerOptions } from "./relay/index.ts";
import type { RelayHandle } from "./relay/deps.ts";
import { createRelayDeps } from "./auth/relay-deps.ts";
import { createRedisLoginLimiter } from "./auth/redis-login-limiter.ts";
import { createRedisSessionStore } from "./auth/redis-sessions.ts";
import { connectRedis, type RedisConnection } from "./state/redis-connection.ts";
import { HEARTBEAT_MS, RedisStore } from "./state/redis-store.ts";
import { streamsAdapter } from "./state/streams-adapter.ts";

/** Knobs tests (and only tests) turn: clocks, costs, timings, log capture. */
export type RelayOverrides = Readonly<{
  now?: () => number;
  logger?: Logger;
  logDestination?: DestinationStream;
  relayOptions?: RelayOptions;
  scryptCost?: ScryptCost;
  limiterPolicy?: LimiterPolicy;
  sessionTimes?: SessionTimes;
  inviteTtlMs?: number;
  /** Skip the seed (demo partner, default content) of a fresh database. */
  seed?: boolean;
  /** `false` skips the daily retention job. */
  retention?: boolean;
  httpTimeouts?: HttpTimeouts;
}>;

/**
 * How long a client may take to send a request's headers, and the whole request. Threat: a
 * slow client (slowloris) holding a connection by trickling a request: Node's defaults let
 * headers take 60 s and a body 300 s (checked every 30 s), so one trickled byte every few seconds
 * held a connection for five and a half minutes. Headers are small and get 15 s. A body may be
 * large and slow, though: a long-polling POST carries up to `maxHttpBufferSize` (275 KB: a
 * hand-over, or a screenshot's frames queued while the survivor's phone was sending), and a phone
 * on a 2G link moves about 20 kbit/s, so 110 s; the whole request gets 120 s (30 s would cut such
 * a survivor's polling transport every time it carried a screenshot). A long-polling GET is
 * received at once (waiting for its answer is not receiving it) and a WebSocket, once upgraded,
 * is no longer a request.
 */
export type HttpTimeouts = Readonly<{ headersMs: number; requestMs: number; checkEveryMs: number }>;
export const HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 15_000, requestMs: 120_000, checkEveryMs: 5_000 };

export type RelayInstance = Readonly<{
  app: express.Express;
  httpServer: HttpServer;
  io: Server;
  relay: RelayHandle;
  db: OpenedDatabase;
  repos: Repositories;
  dist: DistFiles;
  logger: Logger;
  /** `/metrics` alone, for METRICS_HOST:METRICS_PORT (the caller listens); null when on PORT. */
  metricsApp: express.Express | null;
  /**
   * The one-time setup code while setup is pending (also in `<dataDir>/setup-code`), else null.
   * `npm start` prints it; tests pass it to the setup request.
   */
  setupCode: string | null;
  /** Stop taking sessions, tell connected clients, close sockets, the server and the database. */
  close: () => Promise<void>;
}>;

export const DEFAULT_INVITE_TTL_MS = 7 * 86_400_000;
const RETENTION_INTERVAL_MS = 86_400_000;
const SESSION_SWEEP_MS = 60_000;

/**
 * Builds the whole server (database, express app, socket.io and the relay) without listening:
 * the caller decides where (main.ts on PORT, tests on port 0, many at once).
 */
export async function createRelay(config: Config, overrides: RelayOverrides = {}): Promise<RelayInstance> {
  const now = overrides.now ?? Date.now;
  const logger = overrides.logger ?? createLogger(config.logLevel, overrides.logDestination);
  const secret = resolveSecret(config.secret, config.dataDir);
  const db = await openDatabase(config.databaseUrl, {
    seed: overrides.seed ?? true,
    demoOrigins: demoOrigins(config.publicOrigin, config.demoPort),
    now,
    // Never the error itself: pg errors can quote connection details.
    onPoolError: (error) => logger.error({ name: error.name }, "database pool error"),
  });
  const repos = createRepositories(db.db);
  const dist = createDistFiles(config.distDir);
  const sessionTimes = overrides.sessionTimes ?? DEFAULT_SESSION_TIMES;
  const limiterPolicy = overrides.limiterPolicy ?? DEFAULT_LIMITER_POLICY;
  const memoryLimiter = createLoginLimiter(secret, now, limiterPolicy);
  // Several nodes: login sessions, login counters, relay state and socket.io rooms in Redis.
  const redis: RedisConnection | null = config.redisUrl
    ? await connectRedis(config.redisUrl, (name) => logger.error({ name }, "redis error"))
    : null;
  const prefix = config.redisPrefix ?? "sahara:";
  const sessions = redis
    ? createRedisSessionStore(redis.commands, prefix, now, sessionTimes)
    : createSessionStore(now, sessionTimes);
  const limiter = redis
    ? createRedisLoginLimiter(redis.commands, prefix, memoryLimiter, now, limiterPolicy)
    : memoryLimiter;
  const store = redis
    ? new RedisStore({ redis: redis.commands, prefix, nodeId: randomBytes(9).toString("base64url"), now })
    : null;
  // The adapter's stream has no expiry of its own: the heartbeat keeps extending it, so an
  // abandoned deployment's stream (ciphertext frames, bounded by maxLen) goes away by itself.
  // A beat that finds Redis emptied (restarted without persistence) tells this node's clients.
  let relay: RelayHandle | null = null;
  const beat = () =>
    Promise.all([store?.heartbeat(), redis?.commands.send(["PEXPIRE", `${prefix}sio`, "3600000"])])
      .then(([lost]) => (lost ? relay?.storeLost() : undefined))
      .catch((error: unknown) => logger.warn({ name: (error as Error).name }, "heartbeat failed"));
  if (store) await beat();
  const heartbeat = store ? setInterval(beat, HEARTBEAT_MS) : null;
  heartbeat?.unref();
  const setupCode = prepareSetupCode(config.dataDir, (await repos.org.get()) !== null, secret);
  let closing = false;

  const ctx: HttpContext = {
    config,
    repos,
    sessions,
    limiter,
    setupCode,
    logger,
    now,
    secret,
    metrics: createHttpMetrics(),
    relay: () => {
      if (!relay) throw new Error("relay not attached");
      return relay;
    },
    scryptCost: overrides.scryptCost ?? DEFAULT_SCRYPT_COST,
    inviteTtlMs: overrides.inviteTtlMs ?? DEFAULT_INVITE_TTL_MS,
    closing: () => closing,
    pingDatabase: async () => {
      try {
        await sql`select 1`.execute(db.db);
        return true;
      } catch {
        return false;
      }
    },
  };

  const app = createHttpApp(ctx, dist);
  const timeouts = overrides.httpTimeouts ?? HTTP_TIMEOUTS;
  const httpServer = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    app,
  );
  const io = new Server(httpServer, {
    ...relayServerOptions,
    ...(redis
      ? {
          adapter: streamsAdapter(redis.client, prefix),
        }
      : {}),
  });
  applyBaselineHeaders(httpServer, transportSecurityHeaders(config.publicOrigin.startsWith("https:")));
  io.engine.use(refuseOversizedPolling(relayServerOptions.maxHttpBufferSize));
  // Threat: cross-site WebSocket hijacking. SameSite=Strict keeps the login cookie off other
  // sites' sockets, but a same-site page (a sibling subdomain, or the demo partner on another
  // localhost port) would still send it; so staff sockets must also come from the console's
  // origin. Registered before the relay's own middleware, so it runs first.
  io.of(STAFF_NAMESPACE).use((socket, next) => {
    next(socket.handshake.headers.origin === config.publicOrigin ? undefined : new Error("forbidden"));
  });
  relay = attachRelay(io, createRelayDeps(ctx), {
    ...overrides.relayOptions,
    ...(store ? { store, handOver: true } : {}),
  });
  const attached = relay;
  // An expired login's sockets close within a minute of its expiry, like a logged-out one's.
  const sessionSweep = setInterval(
    () =>
      void Promise.resolve(sessions.sweep())
        .then((ended) => attached.disconnectLogins(ended))
        .catch((error: unknown) => logger.warn({ name: (error as Error).name }, "login sweep failed")),
    SESSION_SWEEP_MS,
  );
  sessionSweep.unref();

  // Retention (old audit lines and wrap-ups) at start and once a day; counts only in the log.
  const retain = () =>
    applyRetention(repos, now()).then(
      (deleted) => logger.info(deleted, "retention applied"),
      (error: unknown) => logger.error({ name: (error as Error).name }, "retention failed"),
    );
  const retention = overrides.retention === false ? null : setInterval(retain, RETENTION_INTERVAL_MS);
  retention?.unref();
  if (retention) await retain();

  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      if (retention) clearInterval(retention);
      clearInterval(sessionSweep);
      // Several nodes: stop listening first, so the balancer sends reconnecting clients to
      // another node while this one hands its sockets over.
      if (redis) httpServer.close();
      await attached.shutdown();
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
        httpServer.closeAllConnections();
      });
      if (heartbeat) clearInterval(heartbeat);
      await store?.leave().catch(() => undefined);
      await redis?.close();
      await db.close();
    })();
    return closed;
  };

  return {
    app,
    httpServer,
    io,
    relay: attached,
    db,
    repos,
    dist,
    logger,
    setupCode: setupCode.current(),
    metricsApp: config.metricsListen === null ? null : createMetricsApp(ctx),
    close,
  };
}
