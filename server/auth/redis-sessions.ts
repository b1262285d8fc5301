import type { StaffId } from "../../shared/protocol/index.ts";
import { asNumber, asString, asStrings, type RedisCommands } from "../state/redis-commands.ts";
import type { LoginSession, SessionStore, SessionTimes } from "./sessions.ts";
import { newToken, tokenHash } from "./tokens.ts";

/**
 * Login sessions in Redis (REDIS_URL), so a console can reach any node. Keyed by the token's
 * hash like the memory store; each key expires at its idle deadline (renewed on use, never past
 * the absolute one). A per-member set of hashes lets disabling an account end its sessions on
 * every node at once; a sorted set by absolute expiry serves the /metrics count.
 */
export function createRedisSessionStore(
  redis: RedisCommands,
  prefix: string,
  now: () => number,
  times: SessionTimes,
): SessionStore {
  const send = (...args: string[]) => redis.send(args);
  const key = (hash: string) => `${prefix}login:${hash}`;
  const ofStaff = (id: StaffId) => `${prefix}login-staff:${id}`;
  const all = `${prefix}logins`;

  const parse = (raw: string | null): LoginSession | null => {
    if (!raw) return null;
    try {
      const o = JSON.parse(raw) as LoginSession;
      return typeof o.staffId === "string" && typeof o.expiresAt === "number" ? o : null;
    } catch {
      return null;
    }
  };

  const remove = async (hash: string) => {
    const session = parse(asString(await send("GET", key(hash))));
    await send("DEL", key(hash));
    await send("ZREM", all, hash);
    if (session) await send("SREM", ofStaff(session.staffId), hash);
  };

  return {
    async create(staffId) {
      const token = newToken();
      const t = now();
      const session: LoginSession = {
        staffId,
        csrfToken: newToken(),
        createdAt: t,
        expiresAt: t + times.absoluteMs,
      };
      const hash = tokenHash(token);
      await send("SET", key(hash), JSON.stringify(session), "PX", String(Math.max(1, times.idleMs)));
      await send("SADD", ofStaff(staffId), hash);
      await send("PEXPIRE", ofStaff(staffId), String(times.absoluteMs));
      await send("ZADD", all, String(session.expiresAt), hash);
      await send("PEXPIRE", all, String(times.absoluteMs));
      return { token, session };
    },
    async get(token) {
      const hash = tokenHash(token);
      const session = parse(asString(await send("GET", key(hash))));
      if (!session) return null;
      const t = now();
      if (session.expiresAt <= t) {
        await remove(hash);
        return null;
      }
      const idle = Math.min(times.idleMs, session.expiresAt - t);
      await send("PEXPIRE", key(hash), String(Math.max(1, idle)));
      return session;
    },
    async delete(token) {
      await remove(tokenHash(token));
    },
    async deleteStaff(staffId) {
      const hashes = asStrings(await send("SMEMBERS", ofStaff(staffId))).filter((h): h is string => !!h);
      if (hashes.length > 0) {
        await send("DEL", ...hashes.map(key));
        await send("ZREM", all, ...hashes);
      }
      await send("DEL", ofStaff(staffId));
    },
    async countFor(staffId) {
      const hashes = asStrings(await send("SMEMBERS", ofStaff(staffId))).filter((h): h is string => !!h);
      let live = 0;
      for (const hash of hashes) {
        if (asNumber(await send("EXISTS", key(hash))) === 1) live++;
        else await send("SREM", ofStaff(staffId), hash);
      }
      return live;
    },
    async size() {
      // Sessions past their absolute expiry leave; idle-expired ones still count until then.
      await send("ZREMRANGEBYSCORE", all, "-inf", String(now()));
      return asNumber(await send("ZCARD", all));
    },
  };
}
