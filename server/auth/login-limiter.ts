import { keyedHash } from "./keyed-hash.ts";

/**
 * Login rate limiting with lockout, per username, per client and per known device. Threat:
 * online guessing of passwords (or of authentication keys). The client key is a keyed hash of
 * the address that rotates daily and lives only in this map: no address is stored or logged,
 * and yesterday's keys cannot be linked to today's.
 *
 * Two rules close the holes an outsider found:
 * - An attempt is counted when it starts, before the password is checked: sixty logins sent at
 *   once cannot all run the hash check while none has failed yet (the fifth one locks).
 * - A login from a known device (a device cookie, as in OWASP's "Slow down online guessing
 *   attacks with device cookies") is counted only against that device. Someone else's failures
 *   (one address, or every address behind a misconfigured proxy, locking the username and the
 *   client) therefore never block a counselor on the computer they logged in from before.
 *   A device that fails too often loses that privilege for the lockout period.
 */
export type LimiterPolicy = Readonly<{
  /** Attempts within `windowMs` before a lockout (each counter). */
  maxFailuresPerUser: number;
  maxFailuresPerClient: number;
  maxFailuresPerDevice: number;
  windowMs: number;
  lockoutMs: number;
}>;

export const DEFAULT_LIMITER_POLICY: LimiterPolicy = {
  maxFailuresPerUser: 5,
  maxFailuresPerClient: 20,
  maxFailuresPerDevice: 5,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
};

type Counter = { attempts: number; windowStart: number; lockedUntil: number };

/** Who an attempt is counted against: a known device, or the username and the client. */
export type Attempt = Readonly<{ username: string; client: string; device: string | null }>;

export type MemoryLoginLimiter = Readonly<{
  /** A stable, unlinkable key for a client address (for this day only). */
  clientKey: (address: string | undefined) => string;
  /**
   * Counts the attempt before any check runs. `false`: locked out, check nothing. A known
   * device that is itself locked out is treated as unknown.
   */
  begin: (attempt: Attempt) => boolean;
  /** The password matched: the attempt is forgiven and the username's (or device's) failures too. */
  succeed: (attempt: Attempt) => void;
  isLocked: (username: string, client: string) => boolean;
  size: () => number;
}>;

type Awaitable<T> = T | Promise<T>;

/** The memory limiter above, or the Redis one shared by every node (redis-login-limiter.ts). */
export type LoginLimiter = Readonly<
  {
    clientKey: MemoryLoginLimiter["clientKey"];
  } & {
    [K in Exclude<keyof MemoryLoginLimiter, "clientKey">]: (
      ...args: Parameters<MemoryLoginLimiter[K]>
    ) => Awaitable<ReturnType<MemoryLoginLimiter[K]>>;
  }
>;

const MAX_ENTRIES = 100_000;
const DAY_MS = 86_400_000;

export function createLoginLimiter(
  secret: Uint8Array,
  now: () => number,
  policy: LimiterPolicy = DEFAULT_LIMITER_POLICY,
): MemoryLoginLimiter {
  const users = new Map<string, Counter>();
  const clients = new Map<string, Counter>();
  const devices = new Map<string, Counter>();

  const locked = (map: Map<string, Counter>, key: string) => (map.get(key)?.lockedUntil ?? 0) > now();

  const count = (map: Map<string, Counter>, key: string, max: number) => {
    const t = now();
    if (map.size >= MAX_ENTRIES) {
      for (const [k, c] of map) if (c.lockedUntil <= t && c.windowStart + policy.windowMs <= t) map.delete(k);
    }
    let c = map.get(key);
    if (!c || c.windowStart + policy.windowMs <= t) {
      c = { attempts: 0, windowStart: t, lockedUntil: c?.lockedUntil ?? 0 };
      map.set(key, c);
    }
    c.attempts++;
    if (c.attempts >= max) {
      c.lockedUntil = t + policy.lockoutMs;
      c.attempts = 0;
      c.windowStart = t;
    }
  };

  const trusted = (attempt: Attempt): attempt is Attempt & { device: string } =>
    attempt.device !== null && !locked(devices, attempt.device);

  return {
    clientKey(address) {
      const day = Math.floor(now() / DAY_MS).toString();
      return keyedHash(secret, "client", day, address ?? "unknown")
        .subarray(0, 16)
        .toString("base64url");
    },
    begin(attempt) {
      if (trusted(attempt)) {
        count(devices, attempt.device, policy.maxFailuresPerDevice);
        return true;
      }
      if (locked(users, attempt.username) || locked(clients, attempt.client)) return false;
      count(users, attempt.username, policy.maxFailuresPerUser);
      count(clients, attempt.client, policy.maxFailuresPerClient);
      return true;
    },
    succeed(attempt) {
      if (attempt.device !== null && devices.has(attempt.device)) {
        devices.delete(attempt.device);
        return;
      }
      users.delete(attempt.username);
      // The client's counter keeps its other attempts (one correct login must not wipe a
      // guessing run from the same address), but this one was not a failure.
      const c = clients.get(attempt.client);
      if (c && c.attempts > 0) c.attempts--;
    },
    isLocked: (username, client) => locked(users, username) || locked(clients, client),
    size: () => users.size + clients.size + devices.size,
  };
}
