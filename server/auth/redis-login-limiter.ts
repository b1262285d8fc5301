import { createHash } from "node:crypto";
import { asNumber, evalScript, type RedisCommands } from "../state/redis-commands.ts";
import type { LimiterPolicy, LoginLimiter, MemoryLoginLimiter } from "./login-limiter.ts";

// One counter: fields failures, windowStart, lockedUntil; the same rules as the memory limiter.
const FAIL = `
local t = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local lockout = tonumber(ARGV[3])
local max = tonumber(ARGV[4])
local c = redis.call('HMGET', KEYS[1], 'failures', 'windowStart', 'lockedUntil')
local failures = tonumber(c[1] or '0')
local windowStart = tonumber(c[2] or '0')
local lockedUntil = tonumber(c[3] or '0')
if c[2] == false or windowStart + window <= t then
  failures = 0
  windowStart = t
end
failures = failures + 1
if failures >= max then
  lockedUntil = t + lockout
  failures = 0
  windowStart = t
end
redis.call('HSET', KEYS[1], 'failures', failures, 'windowStart', windowStart, 'lockedUntil', lockedUntil)
local untilAt = math.max(windowStart + window, lockedUntil)
redis.call('PEXPIREAT', KEYS[1], untilAt)
redis.call('ZADD', KEYS[2], untilAt, KEYS[1])
redis.call('PEXPIREAT', KEYS[2], untilAt)
return 1`;

/**
 * The login limiter in Redis (REDIS_URL): counts failures across every node, so spreading
 * guesses over nodes gains nothing. Keys hold a hash of the username (and the memory limiter's
 * daily client key), never the address; each expires with its window or lockout.
 */
export function createRedisLoginLimiter(
  redis: RedisCommands,
  prefix: string,
  memory: MemoryLoginLimiter,
  now: () => number,
  policy: LimiterPolicy,
): LoginLimiter {
  const send = (...args: string[]) => redis.send(args);
  const hash = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 22);
  const userKey = (username: string) => `${prefix}limit:user:${hash(username)}`;
  const clientKey = (client: string) => `${prefix}limit:client:${client}`;
  const index = `${prefix}limits`;

  const locked = async (key: string) => {
    const until = await send("HGET", key, "lockedUntil");
    return asNumber(until) > now();
  };
  const fail = (key: string, max: number) =>
    evalScript(redis, FAIL, [key, index], [now(), policy.windowMs, policy.lockoutMs, max]);

  return {
    clientKey: memory.clientKey,
    async isLocked(username, client) {
      return (await locked(userKey(username))) || (await locked(clientKey(client)));
    },
    async recordFailure(username, client) {
      await fail(userKey(username), policy.maxFailuresPerUser);
      await fail(clientKey(client), policy.maxFailuresPerClient);
    },
    async recordSuccess(username) {
      await send("DEL", userKey(username));
      await send("ZREM", index, userKey(username));
    },
    async size() {
      await send("ZREMRANGEBYSCORE", index, "-inf", String(now()));
      return asNumber(await send("ZCARD", index));
    },
  };
}
