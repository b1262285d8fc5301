import { keyedHash } from "./keyed-hash.ts";

/**
 * Login rate limiting with lockout, per username and per client. Threat: online guessing of
 * passwords (or of authentication keys). The client key is a keyed hash of the address that
 * rotates daily and lives only in this map: no address is stored or logged, and yesterday's
 * keys cannot be linked to today's.
 *
 * A per-username lockout lets an attacker lock a counselor out for a while; the window is short
 * and the lockout ends by itself, which we prefer to unlimited guessing.
 */
export type LimiterPolicy = Readonly<{
  /** Failures within `windowMs` before a lockout. */
  maxFailuresPerUser: number;
  maxFailuresPerClient: number;
  windowMs: number;
  lockoutMs: number;
}>;

export const DEFAULT_LIMITER_POLICY: LimiterPolicy = {
  maxFailuresPerUser: 5,
  maxFailuresPerClient: 20,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
};

type Counter = { failures: number; windowStart: number; lockedUntil: number };

export type MemoryLoginLimiter = Readonly<{
  /** A stable, unlinkable key for a client address (for this day only). */
  clientKey: (address: string | undefined) => string;
  isLocked: (username: string, client: string) => boolean;
  recordFailure: (username: string, client: string) => void;
  recordSuccess: (username: string) => void;
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

  const locked = (map: Map<string, Counter>, key: string) => (map.get(key)?.lockedUntil ?? 0) > now();

  const fail = (map: Map<string, Counter>, key: string, max: number) => {
    const t = now();
    if (map.size >= MAX_ENTRIES) {
      for (const [k, c] of map) if (c.lockedUntil <= t && c.windowStart + policy.windowMs <= t) map.delete(k);
    }
    let c = map.get(key);
    if (!c || c.windowStart + policy.windowMs <= t) {
      c = { failures: 0, windowStart: t, lockedUntil: c?.lockedUntil ?? 0 };
      map.set(key, c);
    }
    c.failures++;
    if (c.failures >= max) {
      c.lockedUntil = t + policy.lockoutMs;
      c.failures = 0;
      c.windowStart = t;
    }
  };

  return {
    clientKey(address) {
      const day = Math.floor(now() / DAY_MS).toString();
      return keyedHash(secret, "client", day, address ?? "unknown")
        .subarray(0, 16)
        .toString("base64url");
    },
    isLocked: (username, client) => locked(users, username) || locked(clients, client),
    recordFailure(username, client) {
      fail(users, username, policy.maxFailuresPerUser);
      fail(clients, client, policy.maxFailuresPerClient);
    },
    recordSuccess(username) {
      users.delete(username);
    },
    size: () => users.size + clients.size,
  };
}
