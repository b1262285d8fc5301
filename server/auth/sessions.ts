import type { StaffId } from "../../shared/protocol/index.ts";
import { newToken, tokenHash } from "./tokens.ts";

/**
 * Login sessions: the cookie carries a random token and the store is keyed by its hash. In
 * memory for one node (a restart logs everyone out, which the console handles: it asks for the
 * password again after a reload anyway); in Redis when REDIS_URL is set, so every node knows
 * every login (server/auth/redis-sessions.ts).
 */
export type LoginSession = Readonly<{
  /**
   * A random id that is not the bearer token: relay sockets opened with this session join a room
   * named after it, so ending the session can disconnect them (a stolen cookie's socket too).
   */
  id: string;
  staffId: StaffId;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}>;

export type MemorySessionStore = Readonly<{
  create: (staffId: StaffId) => Readonly<{ token: string; session: LoginSession }>;
  /** The live session for a cookie token; renews its idle expiry. */
  get: (token: string) => LoginSession | null;
  /** Ends one session; answers its id (null if there was none) so its sockets can be cut. */
  delete: (token: string) => string | null;
  /** Ends every session of a staff member (disabled, revoked, new password); answers their ids. */
  deleteStaff: (staffId: StaffId) => readonly string[];
  /** Drops expired sessions and answers their ids (run periodically, so their sockets close too). */
  sweep: () => readonly string[];
  countFor: (staffId: StaffId) => number;
  size: () => number;
}>;

type Awaitable<T> = T | Promise<T>;

/** What the HTTP layer uses: the memory store above, or the Redis one (server/auth/redis-sessions.ts). */
export type SessionStore = Readonly<{
  [K in keyof MemorySessionStore]: (
    ...args: Parameters<MemorySessionStore[K]>
  ) => Awaitable<ReturnType<MemorySessionStore[K]>>;
}>;

export type SessionTimes = Readonly<{ idleMs: number; absoluteMs: number }>;

/**
 * A shift at most; four hours without any request logs out (long enough that a counselor in one
 * long chat, which makes no HTTP requests, can still send the wrap-up afterwards).
 */
export const DEFAULT_SESSION_TIMES: SessionTimes = { idleMs: 4 * 60 * 60_000, absoluteMs: 12 * 60 * 60_000 };

const MAX_SESSIONS = 10_000;

export function createSessionStore(
  now: () => number,
  times: SessionTimes = DEFAULT_SESSION_TIMES,
): MemorySessionStore {
  const sessions = new Map<string, { session: LoginSession; idleUntil: number }>();

  const sweep = () => {
    const t = now();
    const ended: string[] = [];
    for (const [key, entry] of sessions) {
      if (entry.idleUntil <= t || entry.session.expiresAt <= t) {
        sessions.delete(key);
        ended.push(entry.session.id);
      }
    }
    return ended;
  };

  return {
    create(staffId) {
      if (sessions.size >= MAX_SESSIONS) sweep();
      const token = newToken();
      const t = now();
      const session: LoginSession = {
        id: newToken(16),
        staffId,
        csrfToken: newToken(),
        createdAt: t,
        expiresAt: t + times.absoluteMs,
      };
      sessions.set(tokenHash(token), { session, idleUntil: t + times.idleMs });
      return { token, session };
    },
    get(token) {
      const key = tokenHash(token);
      const entry = sessions.get(key);
      if (!entry) return null;
      const t = now();
      if (entry.idleUntil <= t || entry.session.expiresAt <= t) {
        sessions.delete(key);
        return null;
      }
      entry.idleUntil = Math.min(t + times.idleMs, entry.session.expiresAt);
      return entry.session;
    },
    delete(token) {
      const key = tokenHash(token);
      const id = sessions.get(key)?.session.id ?? null;
      sessions.delete(key);
      return id;
    },
    deleteStaff(staffId) {
      const ended: string[] = [];
      for (const [key, entry] of sessions) {
        if (entry.session.staffId !== staffId) continue;
        sessions.delete(key);
        ended.push(entry.session.id);
      }
      return ended;
    },
    sweep,
    countFor(staffId) {
      let n = 0;
      for (const entry of sessions.values()) if (entry.session.staffId === staffId) n++;
      return n;
    },
    size: () => sessions.size,
  };
}
