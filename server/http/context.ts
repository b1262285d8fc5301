import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { LoginLimiter } from "../auth/login-limiter.ts";
import type { ScryptCost } from "../auth/password-hash.ts";
import type { SessionStore } from "../auth/sessions.ts";
import type { SetupCode } from "../auth/setup-code.ts";
import type { Repositories } from "../db/repositories.ts";
import type { RelayHandle } from "../relay/deps.ts";
import type { HttpMetrics } from "./metrics.ts";

/** Everything the HTTP routes depend on, built once by `createRelay`. */
export type HttpContext = Readonly<{
  config: Config;
  repos: Repositories;
  sessions: SessionStore;
  limiter: LoginLimiter;
  /** The one-time code first-run setup requires (server/auth/setup-code.ts). */
  setupCode: SetupCode;
  logger: Logger;
  now: () => number;
  secret: Uint8Array;
  metrics: HttpMetrics;
  /** Late-bound: the relay attaches to socket.io after the app exists. */
  relay: () => RelayHandle;
  scryptCost: ScryptCost;
  /** How long an invite code stays valid. */
  inviteTtlMs: number;
  /** Whether the process is shutting down (readyz answers 503, new logins are refused). */
  closing: () => boolean;
  /** Cheap round trip to the database, for /readyz. */
  pingDatabase: () => Promise<boolean>;
}>;
