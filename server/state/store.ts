import type { SessionId, StaffId } from "../../shared/protocol/index.ts";
import type { SessionRecord, StaffPresence, StoreCounts } from "./records.ts";

/**
 * Session, queue and presence state behind one async interface. The in-memory store serves one
 * process; a Redis store (several relay nodes) implements the same calls:
 *
 * - sessions: one hash/blob per id with PEXPIREAT `expiresAt`; `updateSession` is a
 *   compare-and-set on `version` (WATCH/MULTI or a Lua script), the only way two nodes racing to
 *   assign or end a session cannot both win;
 * - queues: one sorted set per queue name scored by `queuedAt`; `dequeue` is ZREM and its
 *   boolean is the claim: whoever removes the id may assign it;
 * - spent challenges: SET key NX PXAT expiresAt;
 * - presence: one hash per staff id; `connections` with HINCRBY.
 *
 * Lifetimes the relay relies on (no new call: these are promises about the existing ones):
 *
 * - a record is visible until its `expiresAt` and not a moment longer. Every `updateSession`
 *   carries a fresh `expiresAt`, so a write is also a keep-alive: a waiting survivor's frame sends
 *   `waiting` every WAITING_KEEPALIVE_MS and the relay rewrites the record, which must push the
 *   key's expiry (PEXPIREAT with the new value, in the same transaction as the write);
 * - queue entries have NO expiry of their own and must not be dropped by the store: the relay's
 *   sweep removes every entry whose record is gone or no longer waiting (`dequeue`), and counts
 *   waiting chats from the records (`listSessions`), never from `counts().queued`;
 * - nothing about a client's address is ever given to the store: the per-address bound on queue
 *   places lives in each node's memory (server/relay/admission.ts).
 */
export interface RelayStore {
  getSession(id: SessionId): Promise<SessionRecord | null>;
  /** Inserts; false if the id exists. */
  createSession(record: SessionRecord): Promise<boolean>;
  /** Writes `next` only if the stored version is `next.version - 1`. */
  updateSession(next: SessionRecord): Promise<boolean>;
  deleteSession(id: SessionId): Promise<void>;
  listSessions(): Promise<readonly SessionRecord[]>;
  sessionsOf(counselor: StaffId): Promise<readonly SessionRecord[]>;

  enqueue(queue: string, id: SessionId, queuedAt: number): Promise<void>;
  /** Removes the id; true only for the caller that actually removed it. */
  dequeue(queue: string, id: SessionId): Promise<boolean>;
  /** Ids in queue order (oldest first). */
  queueIds(queue: string): Promise<readonly SessionId[]>;
  queueNames(): Promise<readonly string[]>;

  getStaff(id: StaffId): Promise<StaffPresence | null>;
  putStaff(presence: StaffPresence): Promise<void>;
  deleteStaff(id: StaffId): Promise<void>;
  listStaff(): Promise<readonly StaffPresence[]>;

  /** Records a spent proof-of-work challenge until it expires; false if already spent (or full). */
  markSpent(key: string, expiresAt: number): Promise<boolean>;

  counts(): Promise<StoreCounts>;
  clear(): Promise<void>;
}
