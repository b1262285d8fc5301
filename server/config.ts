import * as v from "valibot";
import { err, ok, type Result } from "../shared/result.ts";
import { DATABASE_URL_HELP, parseDatabaseUrl } from "./db/database-url.ts";

/**
 * The process configuration, parsed from environment variables at the edge. Every bad value
 * gets a message that names the variable, what it must be, and what it got, so a typo in a
 * deployment fails at start rather than misbehaving later.
 */
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export type Config = Readonly<{
  port: number;
  host: string;
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://...` (server/db/database-url.ts). */
  databaseUrl: string;
  /** Scheme, host and port the browsers use to reach the helpline, e.g. `https://help.example.org`. */
  publicOrigin: string;
  /** Port of the demo partner page listener; 0 disables it. */
  demoPort: number;
  /** Express `trust proxy`: false, true, or the number of proxy hops in front. */
  trustProxy: boolean | number;
  /**
   * Whether TRUST_PROXY was set at all. Unset, requests that carry forwarding headers are a sign
   * of a proxy nobody declared (every client would share its address in the rate limits): the
   * server says so loudly (server/http/proxy-guard.ts).
   */
  trustProxySet: boolean;
  /** Where `/metrics` is served instead of on PORT; null: on PORT with everything else. */
  metricsListen: Readonly<{ host: string; port: number }> | null;
  secureCookies: boolean;
  logLevel: LogLevel;
  /** From SAHARA_SECRET (hex or base64url, at least 32 bytes); null: generated once and kept in `dataDir`. */
  secret: Uint8Array | null;
  /** Where the SQLite file and the generated secret live. */
  dataDir: string;
  /** Build output (`npm run build`): embed/, frame/, console/. */
  distDir: string;
  /** `redis://` or `rediss://`: several relay nodes share state through it; null: one node, memory. */
  redisUrl?: string | null;
  /** Prefix of every Redis key and stream (REDIS_PREFIX, default `sahara:`). */
  redisPrefix?: string;
}>;

export const DEFAULT_PORT = 8080;
export const DEFAULT_DEMO_PORT = 8081;

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function portFrom(
  name: string,
  raw: string | undefined,
  fallback: number,
  allowZero: boolean,
): Result<number, string> {
  if (raw === undefined || raw === "") return ok(fallback);
  const min = allowZero ? 0 : 1;
  if (/^[0-9]{1,5}$/.test(raw)) {
    const n = Number(raw);
    if (n >= min && n <= 65535) return ok(n);
  }
  return err(`${name} must be an integer ${min}-65535, got ${JSON.stringify(raw)}`);
}

function booleanFrom(name: string, raw: string | undefined): Result<boolean | undefined, string> {
  if (raw === undefined || raw === "") return ok(undefined);
  if (["1", "true", "yes", "on"].includes(raw.toLowerCase())) return ok(true);
  if (["0", "false", "no", "off"].includes(raw.toLowerCase())) return ok(false);
  return err(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

function originFrom(raw: string | undefined): Result<string, string> {
  const value = raw === undefined || raw === "" ? `http://localhost:${DEFAULT_PORT}` : raw;
  const parsed = v.safeParse(v.pipe(v.string(), v.url()), value);
  if (parsed.success) {
    const url = new URL(value);
    const bare = url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "";
    if ((url.protocol === "http:" || url.protocol === "https:") && bare) return ok(url.origin);
  }
  return err(
    `PUBLIC_ORIGIN must be an http(s) origin without a path, like https://help.example.org, got ${JSON.stringify(value)}`,
  );
}

function trustProxyFrom(raw: string | undefined): Result<boolean | number, string> {
  if (raw === undefined || raw === "") return ok(false);
  if (/^[0-9]{1,2}$/.test(raw)) return ok(Number(raw));
  const b = booleanFrom("TRUST_PROXY", raw);
  if (b.ok && b.value !== undefined) return ok(b.value);
  return err(`TRUST_PROXY must be true, false or a number of proxy hops (0-99), got ${JSON.stringify(raw)}`);
}

function secretFrom(raw: string | undefined): Result<Uint8Array | null, string> {
  if (raw === undefined || raw === "") return ok(null);
  const bytes =
    /^[0-9a-fA-F]+$/.test(raw) && raw.length % 2 === 0
      ? Buffer.from(raw, "hex")
      : /^[A-Za-z0-9_-]+$/.test(raw)
        ? Buffer.from(raw, "base64url")
        : null;
  if (bytes && bytes.byteLength >= 32) return ok(new Uint8Array(bytes));
  // The value itself is never echoed: it is a secret.
  return err(
    "SAHARA_SECRET must be at least 32 random bytes as hex or base64url (e.g. `openssl rand -hex 32`)",
  );
}

function databaseUrlFrom(raw: string | undefined, dataDir: string): Result<string, string> {
  const sqlitePath = `${dataDir}/sahara.db`;
  const parsed = parseDatabaseUrl(raw, sqlitePath);
  if (!parsed.ok) return err(DATABASE_URL_HELP);
  return ok(raw === undefined || raw.trim() === "" ? `sqlite:${sqlitePath}` : raw.trim());
}

function redisUrlFrom(raw: string | undefined): Result<string | null, string> {
  if (raw === undefined || raw.trim() === "") return ok(null);
  try {
    const url = new URL(raw.trim());
    if ((url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "")
      return ok(raw.trim());
  } catch {
    // fall through: the value is never echoed, it can hold a password.
  }
  return err("REDIS_URL must be redis://[:password@]host[:port][/db] or rediss://... (value not shown)");
}

export type ConfigResult =
  | Readonly<{ ok: true; value: Config }>
  | Readonly<{ ok: false; problems: readonly string[] }>;

/** Parses the environment. On failure, every problem is listed (not just the first). */
export function loadConfig(env: Env): ConfigResult {
  const problems: string[] = [];
  const take = <T>(r: Result<T, string>, fallback: T): T => {
    if (r.ok) return r.value;
    problems.push(r.error);
    return fallback;
  };
  const dataDir = env.SAHARA_DATA_DIR || "./data";
  const port = take(portFrom("PORT", env.PORT, DEFAULT_PORT, false), DEFAULT_PORT);
  const demoPort = take(portFrom("DEMO_PORT", env.DEMO_PORT, DEFAULT_DEMO_PORT, true), 0);
  const publicOrigin = take(originFrom(env.PUBLIC_ORIGIN), "http://localhost");
  const secure = take(booleanFrom("SECURE_COOKIES", env.SECURE_COOKIES), undefined);
  const trustProxy = take(trustProxyFrom(env.TRUST_PROXY), false);
  const trustProxySet = env.TRUST_PROXY !== undefined && env.TRUST_PROXY !== "";
  // Threat: behind a TLS proxy without TRUST_PROXY, every request has the proxy's address, so
  // one attacker's failed logins lock out the whole team. This process never serves TLS itself,
  // so an https PUBLIC_ORIGIN means a proxy is in front: it must be declared either way.
  if (publicOrigin.startsWith("https:") && !trustProxySet) {
    problems.push(
      "PUBLIC_ORIGIN is https, so a TLS proxy is in front of this process, but TRUST_PROXY is unset: set it to the number of proxies (usually 1) so rate limits see each client, or to false if the proxy does not forward the client's address",
    );
  }
  const metricsPort = take(portFrom("METRICS_PORT", env.METRICS_PORT, 0, true), 0);
  const metricsHost = env.METRICS_HOST || "127.0.0.1";
  if (!/^[A-Za-z0-9.:-]+$/.test(metricsHost))
    problems.push(`METRICS_HOST must be a host name or address, got ${JSON.stringify(metricsHost)}`);
  const secret = take(secretFrom(env.SAHARA_SECRET), null);
  const databaseUrl = take(databaseUrlFrom(env.DATABASE_URL, dataDir), "");
  const host = env.HOST || "127.0.0.1";
  if (!/^[A-Za-z0-9.:-]+$/.test(host))
    problems.push(`HOST must be a host name or address, got ${JSON.stringify(host)}`);
  const rawLevel = env.LOG_LEVEL || "info";
  const logLevel = (LOG_LEVELS as readonly string[]).includes(rawLevel) ? (rawLevel as LogLevel) : "info";
  if (logLevel !== rawLevel)
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(rawLevel)}`);
  const redisUrl = take(redisUrlFrom(env.REDIS_URL), null);
  const redisPrefix = env.REDIS_PREFIX || "sahara:";
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(redisPrefix))
    problems.push(
      `REDIS_PREFIX must be 1-64 letters, digits, _ . : or -, got ${JSON.stringify(redisPrefix)}`,
    );
  if (problems.length > 0) return { ok: false, problems };
  return ok({
    port,
    host,
    databaseUrl,
    publicOrigin,
    demoPort,
    trustProxy,
    trustProxySet,
    metricsListen: metricsPort === 0 ? null : { host: metricsHost, port: metricsPort },
    secureCookies: secure ?? publicOrigin.startsWith("https:"),
    logLevel,
    secret,
    dataDir,
    distDir: env.SAHARA_DIST_DIR || "./dist",
    redisUrl,
    redisPrefix,
  });
}
