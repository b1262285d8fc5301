import type { SessionId, SideId, StaffId } from "../../shared/protocol/index.ts";
import type { QueueInfo, SessionRecord, SideRecord, StaffPresence, StoreCounts } from "./records.ts";

/**
 * Session, queue and presence state behind one async interface. The in-memory store serves one
 * process; a Redis store (several relay nodes) implements the same calls:
 *
 * - sessions: one hash/blob per id with PEXPIREAT `expiresAt`; `updateSession` is a
 *   compare-and-set on `version` (WATCH/MULTI or a Lua script), the only way two nodes racing to
 *   assign or end a session cannot both win; `deleteSession` reads and deletes in one step (GET
 *   and DEL in one Lua script) and hands the record to the one caller that removed it, so
 *   whether the chat was ever answered is read from what was deleted, never from an earlier read
 *   that an assignment on another node could overtake;
 * - queues: one sorted set per queue name scored by `queuedAt`; `dequeue` is ZREM and its
 *   boolean is the claim: whoever removes the id may assign it. Beside it, one hash per queue
 *   holds each entry's `QueueInfo` (what the staff queue view shows), so a queue snapshot reads
 *   the two index keys and no session record;
 * - held sessions: an index of the sessions whose last write was not `waiting`, kept in the same
 *   step as the write (create and compare-and-set), so counting counselors' chats reads those
 *   records only, never the waiting ones (hundreds, on a busy helpline); and one index per staff
 *   member of the held sessions they counsel or receive, for one counselor's count;
 * - deadlines: two sorted sets and a set, kept in the same step as every create, compare-and-set
 *   and delete of a session: sessions not waiting scored by `lastActivity`, sessions whose
 *   survivor is disconnected scored by `survivorDisconnectedAt`, and the waiting ones, so the
 *   sweep reads the records that can be due (`dueSessions`), not every record;
 * - spent challenges: SET key NX PXAT expiresAt;
 * - presence: one hash per staff id; `connections` with HINCRBY, one field per node, so the
 *   sockets of a node that died stop counting once its heartbeat is stale;
 * - wrap-up tokens: SET key NX PXAT expiresAt under (staff id, token hash), DEL to redeem: the
 *   delete's count is the claim, so a token is spent once across every node;
 * - side conversations ("Ask a supervisor"): one key per request with PEXPIREAT `expiresAt` and
 *   the same compare-and-set on `version` as sessions, in an index set of their own;
 * - timers: `claimTimer` is SET NX PX, so a periodic job acting on shared state (resume grace,
 *   idle timeout, counselor grace) runs on one node per period.
 *
 * Lifetimes the relay relies on (no new call: these are promises about the existing ones):
 *
 * - a record is visible until its `expiresAt` and not a moment longer. Every `updateSession`
 *   carries a fresh `expiresAt`, so a write is also a keep-alive: a waiting survivor's frame sends
 *   `waiting` every WAITING_KEEPALIVE_MS and the relay rewrites the record, which must push the
 *   key's expiry (PEXPIREAT with the new value, in the same transaction as the write);
 * - index keys (the sessions set, each queue, the held indexes) must outlive every record in
 *   them: in Redis each write of a record pushes their expiry in the same script, so a waiting
 *   survivor's keep-alive keeps their queue's keys, not only a join to that queue;
 * - queue entries have NO expiry of their own and must not be dropped by the store: the relay's
 *   sweep removes every entry whose record is gone or no longer waiting (`dequeue` conditional
 *   on the version it read), and counts
 *   waiting chats from the records (`listSessions`), never from `counts().queued`;
 * - admission (server/relay/admission.ts): join attempts are counted per minute (INCR with a short
 *   expiry), and the queue places of one client are a sorted set under the client's key, a keyed
 *   hash of the address that rotates daily: never the address itself. `holdPlace` gives back the
 *   places whose session is gone or no longer waiting, checks the bound and adds in one step (a
 *   Lua script), so nodes racing cannot exceed it, nor give back a place another node just took.
 *
 * `server/state/redis-store.ts` is that Redis store (REDIS_URL).
 */
export interface RelayStore {
  getSession(id: SessionId): Promise<SessionRecord | null>;
  /**
   * The stored record's `version` (null if none), without the record: a node that kept a copy of
   * that version knows it is current (a record never changes without a new version).
   */
  sessionVersion(id: SessionId): Promise<number | null>;
  /** Inserts; false if the id exists. */
  createSession(record: SessionRecord): Promise<boolean>;
  /** Writes `next` only if the stored version is `next.version - 1`. */
  updateSession(next: SessionRecord): Promise<boolean>;
  /**
   * Removes the session and resolves to the record removed, as last written, only for the caller
   * that actually deleted it (null for every other caller, and for an expired record): that
   * caller tells the clients and counts the figures, reading them from this record. Reading and
   * deleting are one step, so an assignment written a moment before on another node is seen.
   * With `ifVersion` the delete is conditional, in the same step: a record whose version is no
   * longer `ifVersion` (written since the caller read it) is left, and null returned.
   */
  deleteSession(id: SessionId, ifVersion?: number): Promise<SessionRecord | null>;
  listSessions(): Promise<readonly SessionRecord[]>;
  /**
   * Live sessions not `waiting` (assigned, active, transferring, held): what counselors' loads
   * are counted from. Reads no waiting record.
   */
  heldSessions(): Promise<readonly SessionRecord[]>;
  /** Held sessions whose counselor or handover target is `staff` (an index per staff member). */
  heldSessionsOf(staff: StaffId): Promise<readonly SessionRecord[]>;
  sessionsOf(counselor: StaffId): Promise<readonly SessionRecord[]>;
  /**
   * The sessions the sweep may have to act on (`isSweepCandidate`), read through indexes kept in
   * the same step as each record write, so a quiet helpline's sweep reads no record: every
   * `waiting` one, those not waiting whose `lastActivity` is at or before `idleBefore`, and those
   * whose survivor disconnected at or before `disconnectedBefore` (and has not come back). A
   * record last written by a node without these indexes may be missing (the sweep's occasional
   * full pass over `listSessions` finds it).
   */
  dueSessions(query: DueQuery): Promise<readonly SessionRecord[]>;
  /** The `waiting` sessions, from the same index (`clear-silent`). */
  waitingSessions(): Promise<readonly SessionRecord[]>;

  /**
   * Side conversations: the same create / compare-and-set / list as sessions; `deleteSide` is
   * true only for the caller that actually deleted it.
   */
  getSide(id: SideId): Promise<SideRecord | null>;
  createSide(record: SideRecord): Promise<boolean>;
  updateSide(next: SideRecord): Promise<boolean>;
  deleteSide(id: SideId): Promise<boolean>;
  listSides(): Promise<readonly SideRecord[]>;

  /** `info` is kept with the entry until it is dequeued (see `queueEntries`). */
  enqueue(queue: string, id: SessionId, queuedAt: number, info?: QueueInfo): Promise<void>;
  /**
   * Removes the id; true only for the caller that actually removed it. With `ifVersion` the
   * removal is conditional, in the same step: only while the session's stored version is still
   * `ifVersion` (null: while there is no record), so the sweep dropping an orphan cannot remove
   * the fresh entry of a chat put back in the queue since it read the record.
   */
  dequeue(queue: string, id: SessionId, ifVersion?: number | null): Promise<boolean>;
  /** Ids in queue order (oldest first). */
  queueIds(queue: string): Promise<readonly SessionId[]>;
  /** Entries in queue order with their `queuedAt` and `info` (null if enqueued without one). */
  queueEntries(queue: string): Promise<readonly QueuedEntry[]>;
  queueNames(): Promise<readonly string[]>;

  getStaff(id: StaffId): Promise<StaffPresence | null>;
  /**
   * Writes everything but `connections` (use connectStaff / disconnectStaff for that) and the
   * desk: a stored desk is kept, in the same step (a read-modify-write of the presence, e.g. a
   * status change, must not put back a desk another node's newer page has taken since the read).
   */
  putStaff(presence: StaffPresence): Promise<void>;
  /**
   * One more socket of this staff member on this node; a new presence takes `presence` (its
   * `connections` ignored). Resolves to the connections counted before (all nodes). `desk` is
   * written only if `takeDesk` (a fresh console page) or none is stored: a reconnection checked
   * against a desk that another node replaced just after the check keeps the newer desk.
   */
  connectStaff(presence: StaffPresence, takeDesk?: boolean): Promise<number>;
  /** One socket fewer on this node; at zero, `disconnectedAt` is `now`. Null if unknown. */
  disconnectStaff(id: StaffId, now: number): Promise<StaffPresence | null>;
  deleteStaff(id: StaffId): Promise<void>;
  listStaff(): Promise<readonly StaffPresence[]>;
  /**
   * Sockets of this staff member that this node has counted (connectStaff not yet undone),
   * synchronously: with `getStaff`'s `connections` equal to it, none are on another node.
   */
  connectionsHere(id: StaffId): number;

  /** Records a spent proof-of-work challenge until it expires; false if already spent (or full). */
  markSpent(key: string, expiresAt: number): Promise<boolean>;

  /**
   * Remembers a wrap-up token's hash for this staff member until `expiresAt` (never a session
   * id); false if the store is full (the counselor then cannot file that wrap-up).
   */
  issueWrapup(staff: StaffId, tokenHash: string, expiresAt: number): Promise<boolean>;
  /** Forgets the token and resolves true, only if it was live and issued to this staff member. */
  redeemWrapup(staff: StaffId, tokenHash: string): Promise<boolean>;

  /** One more join attempt in this minute (minutes since the epoch), on any node. */
  noteJoin(minute: number): Promise<void>;
  /** Join attempts counted in each of these minutes, all nodes together. */
  joinCounts(minutes: readonly number[]): Promise<number[]>;
  /**
   * Takes a place for `id` if the client holds fewer than `max`; false (nothing taken) otherwise.
   * In the same step, first gives back the client's places that expired or whose session record
   * is gone or no longer `waiting`: so `id`'s record must exist before, or a racing call on
   * another node gives its place back at once.
   */
  holdPlace(client: string, id: SessionId, max: number, expiresAt: number): Promise<boolean>;
  releasePlace(client: string, id: SessionId): Promise<void>;

  /** True for one caller per `ttlMs` across every node sharing the store. */
  claimTimer(name: string, ttlMs: number): Promise<boolean>;

  /** This node's id among the nodes sharing the store (`SessionRecord.survivorNode`). */
  readonly nodeId: string;
  /**
   * Nodes whose heartbeat stopped (none heard for `NODE_TIMEOUT_MS`) and did not leave on
   * purpose, with the time of their last beat: their sockets are gone. Empty with one node.
   */
  deadNodes(): Promise<ReadonlyMap<string, number>>;

  counts(): Promise<StoreCounts>;
  clear(): Promise<void>;
}

export type DueQuery = Readonly<{ idleBefore: number; disconnectedBefore: number }>;

/** What `dueSessions` answers, record by record: the one definition both stores and tests use. */
export const isSweepCandidate = (r: SessionRecord, q: DueQuery): boolean =>
  r.state === "waiting" ||
  r.lastActivity <= q.idleBefore ||
  (r.survivorSocket === null &&
    r.survivorDisconnectedAt !== null &&
    r.survivorDisconnectedAt <= q.disconnectedBefore);

export type QueuedEntry = Readonly<{ id: SessionId; queuedAt: number; info: QueueInfo | null }>;
