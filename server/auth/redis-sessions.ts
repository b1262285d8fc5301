import type { StaffId } from "../../shared/protocol/index.ts";
import { asNumber, asString, asStrings, type RedisCommands } from "../state/redis-commands.ts";
import type { LoginSession, SessionStore, SessionTimes } from "./sessions.ts";
import { newToken, tokenHash } from "./tokens.ts";

/**
 * Login sessions in Redis (REDIS_URL), so a console can reach any node. Keyed by the token's
 * hash like the memory store; each key expires at its idle deadline (renewed on use, never past
 * the absolute one). A per-member set of hashes lets disabling an account end its sessions on
 * every node at once; a sorted set of `<hash>|<session id>` by absolute expiry serves the
 * /metrics count and the sweep, which answers the ids of sessions gone idle or past their end so
 * that every node's sockets opened with them close (server/relay: disconnectLogins).
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
      return typeof o.id === "string" && typeof o.staffId === "string" && typeof o.expiresAt === "number"
        ? o
        : null;
    } catch {
      return null;
    }
  };

  const member = (hash: string, id: string) => `${hash}|${id}`;

  const remove = async (hash: string): Promise<string | null> => {
    const session = parse(asString(await send("GET", key(hash))));
    await send("DEL", key(hash));
    if (!session) return null;
    await send("ZREM", all, member(hash, session.id));
    await send("SREM", ofStaff(session.staffId), hash);
    return session.id;
  };

  return {
    async create(staffId) {
      const token = newToken();
      const t = now();
      const session: LoginSession = {
        id: newToken(16),
        staffId,
        csrfToken: newToken(),
        createdAt: t,
        expiresAt: t + times.absoluteMs,
      };
      const hash = tokenHash(token);
      await send("SET", key(hash), JSON.stringify(session), "PX", String(Math.max(1, times.idleMs)));
      await send("SADD", ofStaff(staffId), hash);
      await send("PEXPIRE", ofStaff(staffId), String(times.absoluteMs));
      await send("ZADD", all, String(session.expiresAt), member(hash, session.id));
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
      return remove(tokenHash(token));
    },
    async deleteStaff(staffId) {
      const hashes = asStrings(await send("SMEMBERS", ofStaff(staffId))).filter((h): h is string => !!h);
      const ended: string[] = [];
      for (const hash of hashes) {
        const id = await remove(hash);
        if (id) ended.push(id);
      }
      await send("DEL", ofStaff(staffId));
      return ended;
    },
    async sweep() {
      // Idle-expired keys are gone already; their index entries still name the session id.
      const t = now();
      const ended: string[] = [];
      const members = asStrings(await send("ZRANGE", all, "0", "-1", "WITHSCORES"));
      for (let i = 0; i + 1 < members.length; i += 2) {
        const m = members[i];
        const end = Number(members[i + 1]);
        if (!m) continue;
        const [hash = "", id = ""] = m.split("|");
        if (end > t && asNumber(await send("EXISTS", key(hash))) === 1) continue;
        // ZREM decides which node reports it (each ended session is cut once).
        if (asNumber(await send("ZREM", all, m)) !== 1) continue;
        await send("DEL", key(hash));
        ended.push(id);
      }
      return ended;
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
      // Idle-expired sessions count until the next sweep (every minute) removes them.
      return asNumber(await send("ZCARD", all));
    },
  };
}
