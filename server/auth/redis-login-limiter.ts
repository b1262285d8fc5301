import { createHash } from "node:crypto";
import { asNumber, evalScript, type RedisCommands } from "../state/redis-commands.ts";
import type { Attempt, LimiterPolicy, LoginLimiter, MemoryLoginLimiter } from "./login-limiter.ts";

// Counts one attempt on a counter (hash: attempts, windowStart, lockedUntil) with the memory
// limiter's rules: a full window locks for `lockout` and starts counting afresh.
const COUNT = `
local function count(key, t, window, lockout, max)
  local c = redis.call('HMGET', key, 'attempts', 'windowStart', 'lockedUntil')
  local attempts = tonumber(c[1] or '0')
  local windowStart = tonumber(c[2] or '0')
  local lockedUntil = tonumber(c[3] or '0')
  if c[2] == false or windowStart + window <= t then
    attempts = 0
    windowStart = t
  end
  attempts = attempts + 1
  if attempts >= max then
    lockedUntil = t + lockout
    attempts = 0
    windowStart = t
  end
  redis.call('HSET', key, 'attempts', attempts, 'windowStart', windowStart, 'lockedUntil', lockedUntil)
  local untilAt = math.max(windowStart + window, lockedUntil)
  redis.call('PEXPIREAT', key, untilAt)
  redis.call('ZADD', KEYS[4], untilAt, key)
  redis.call('PEXPIREAT', KEYS[4], math.max(untilAt, tonumber(redis.call('PTTL', KEYS[4])) + t))
end
local function locked(key, t)
  return tonumber(redis.call('HGET', key, 'lockedUntil') or '0') > t
end
`;

// KEYS: user, client, device (or ""), index. ARGV: now, window, lockout, maxUser, maxClient,
// maxDevice. One script, so parallel attempts on several nodes are counted before any check.
const BEGIN = `${COUNT}
local t = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local lockout = tonumber(ARGV[3])
if KEYS[3] ~= '' and not locked(KEYS[3], t) then
  count(KEYS[3], t, window, lockout, tonumber(ARGV[6]))
  return 1
end
if locked(KEYS[1], t) or locked(KEYS[2], t) then return 0 end
count(KEYS[1], t, window, lockout, tonumber(ARGV[4]))
count(KEYS[2], t, window, lockout, tonumber(ARGV[5]))
return 1`;

// KEYS: user, client, device (or ""), index.
const SUCCEED = `
if KEYS[3] ~= '' and redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('DEL', KEYS[3])
  redis.call('ZREM', KEYS[4], KEYS[3])
  return 1
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[4], KEYS[1])
local a = tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0')
if a > 0 then redis.call('HINCRBY', KEYS[2], 'attempts', -1) end
return 1`;

/**
 * The login limiter in Redis (REDIS_URL): the memory limiter's rules (login-limiter.ts: counted
 * before the check, known devices counted on their own) across every node, so spreading guesses
 * over nodes gains nothing. Keys hold a hash of the username, the memory limiter's daily client
 * key and a hash of the device id, never an address; each expires with its window or lockout.
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
  const deviceKey = (device: string | null) =>
    device === null ? "" : `${prefix}limit:device:${hash(device)}`;
  const index = `${prefix}limits`;
  const keys = (a: Attempt) => [userKey(a.username), clientKey(a.client), deviceKey(a.device), index];

  const locked = async (key: string) => asNumber(await send("HGET", key, "lockedUntil")) > now();

  return {
    clientKey: memory.clientKey,
    async begin(attempt) {
      const args = [
        now(),
        policy.windowMs,
        policy.lockoutMs,
        policy.maxFailuresPerUser,
        policy.maxFailuresPerClient,
        policy.maxFailuresPerDevice,
      ];
      return asNumber(await evalScript(redis, BEGIN, keys(attempt), args)) === 1;
    },
    async succeed(attempt) {
      await evalScript(redis, SUCCEED, keys(attempt), []);
    },
    async isLocked(username, client) {
      return (await locked(userKey(username))) || (await locked(clientKey(client)));
    },
    async size() {
      await send("ZREMRANGEBYSCORE", index, "-inf", String(now()));
      return asNumber(await send("ZCARD", index));
    },
  };
}
