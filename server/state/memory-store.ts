import type { SessionId, SideId, StaffId } from "../../shared/protocol/index.ts";
import type { QueueInfo, SessionRecord, SideRecord, StaffPresence, StoreCounts } from "./records.ts";
import { type DueQuery, isSweepCandidate, type QueuedEntry, type RelayStore } from "./store.ts";

/** Bound on remembered challenges: joins per TTL beyond this are refused, not remembered. */
export const MAX_SPENT_CHALLENGES = 100_000;
/** Bound on unspent wrap-up tokens (one per ended chat per counselor, for a day). */
export const MAX_WRAPUP_TOKENS = 100_000;

type Versioned<K> = Readonly<{ id: K; version: number; expiresAt: number }>;

/** Records with an id, a version for compare-and-set and an expiry (sessions, side conversations). */
class VersionedTable<K, R extends Versioned<K>> {
  readonly #rows = new Map<K, R>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  get(id: K): R | null {
    const record = this.#rows.get(id);
    if (!record) return null;
    if (record.expiresAt > this.#now()) return record;
    this.#rows.delete(id);
    return null;
  }

  create(record: R): boolean {
    if (this.get(record.id)) return false;
    this.#rows.set(record.id, record);
    return true;
  }

  update(next: R): boolean {
    const current = this.get(next.id);
    if (!current || current.version !== next.version - 1) return false;
    this.#rows.set(next.id, next);
    return true;
  }

  /**
   * The live record removed, or null: one synchronous step, so one caller of many gets it. With
   * `ifVersion`, a record written since (another version) is left as it is, and null returned.
   */
  delete(id: K, ifVersion?: number): R | null {
    const live = this.get(id);
    if (live && ifVersion !== undefined && live.version !== ifVersion) return null;
    this.#rows.delete(id);
    return live;
  }

  list(): R[] {
    return [...this.#rows.keys()].map((id) => this.get(id)).filter((r): r is R => r !== null);
  }

  clear(): void {
    this.#rows.clear();
  }
}

/**
 * The single-process store (`npm start`). Expired entries are invisible at once and removed
 * lazily, so `now` (injected) alone decides expiry.
 */
export class MemoryStore implements RelayStore {
  readonly #sessions: VersionedTable<SessionId, SessionRecord>;
  readonly #sides: VersionedTable<SideId, SideRecord>;
  readonly #queues = new Map<
    string,
    Map<SessionId, Readonly<{ queuedAt: number; info: QueueInfo | null }>>
  >();
  /** Ids whose last write was not `waiting` (pruned lazily by `heldSessions`). */
  readonly #held = new Set<SessionId>();
  /** Staff id to the ids held (as counselor or handover target) at some write; pruned on read. */
  readonly #heldBy = new Map<StaffId, Set<SessionId>>();
  readonly #staff = new Map<StaffId, StaffPresence>();
  readonly #spent = new Map<string, number>();
  readonly #joins = new Map<number, number>();
  /** Client key to (session id to expiry). */
  readonly #places = new Map<string, Map<SessionId, number>>();
  /** "<staff id> <token hash>" to expiry. */
  readonly #wrapups = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
    this.#sessions = new VersionedTable(now);
    this.#sides = new VersionedTable(now);
  }

  async getSession(id: SessionId) {
    return this.#sessions.get(id);
  }

  async sessionVersion(id: SessionId) {
    return this.#sessions.get(id)?.version ?? null;
  }

  async createSession(record: SessionRecord) {
    const created = this.#sessions.create(record);
    if (created) this.#index(record);
    return created;
  }

  async updateSession(next: SessionRecord) {
    const updated = this.#sessions.update(next);
    if (updated) this.#index(next);
    return updated;
  }

  #index(record: SessionRecord) {
    if (record.state === "waiting") {
      this.#held.delete(record.id);
      return;
    }
    this.#held.add(record.id);
    for (const owner of [record.counselor, record.transferTo]) {
      if (owner === null) continue;
      const ids = this.#heldBy.get(owner) ?? new Set<SessionId>();
      ids.add(record.id);
      this.#heldBy.set(owner, ids);
    }
  }

  async heldSessionsOf(staff: StaffId) {
    const ids = this.#heldBy.get(staff);
    const out: SessionRecord[] = [];
    for (const id of ids ?? []) {
      const r = this.#sessions.get(id);
      if (r && r.state !== "waiting" && (r.counselor === staff || r.transferTo === staff)) out.push(r);
      else ids?.delete(id);
    }
    if (ids?.size === 0) this.#heldBy.delete(staff);
    return out;
  }

  async heldSessions() {
    const out: SessionRecord[] = [];
    for (const id of this.#held) {
      const record = this.#sessions.get(id);
      if (record && record.state !== "waiting") out.push(record);
      else this.#held.delete(id);
    }
    return out;
  }

  async deleteSession(id: SessionId, ifVersion?: number) {
    return this.#sessions.delete(id, ifVersion);
  }

  async listSessions() {
    return this.#sessions.list();
  }

  // One process: a pass over the map costs no read or decode, so no index of its own.
  async dueSessions(query: DueQuery) {
    return this.#sessions.list().filter((r) => isSweepCandidate(r, query));
  }

  async waitingSessions() {
    return this.#sessions.list().filter((r) => r.state === "waiting");
  }

  async getSide(id: SideId) {
    return this.#sides.get(id);
  }

  async createSide(record: SideRecord) {
    return this.#sides.create(record);
  }

  async updateSide(next: SideRecord) {
    return this.#sides.update(next);
  }

  async deleteSide(id: SideId) {
    return this.#sides.delete(id) !== null;
  }

  async listSides() {
    return this.#sides.list();
  }

  async sessionsOf(counselor: StaffId) {
    return (await this.listSessions()).filter((r) => r.counselor === counselor);
  }

  async enqueue(queue: string, id: SessionId, queuedAt: number, info?: QueueInfo) {
    let entries = this.#queues.get(queue);
    if (!entries) {
      entries = new Map();
      this.#queues.set(queue, entries);
    }
    entries.set(id, { queuedAt, info: info ?? null });
  }

  async dequeue(queue: string, id: SessionId, ifVersion?: number | null) {
    if (ifVersion !== undefined && (this.#sessions.get(id)?.version ?? null) !== ifVersion) return false;
    const entries = this.#queues.get(queue);
    const removed = entries?.delete(id) ?? false;
    if (entries && entries.size === 0) this.#queues.delete(queue);
    return removed;
  }

  async queueIds(queue: string) {
    return (await this.queueEntries(queue)).map((e) => e.id);
  }

  async queueEntries(queue: string): Promise<QueuedEntry[]> {
    const entries = this.#queues.get(queue);
    if (!entries) return [];
    return [...entries].map(([id, e]) => ({ id, ...e })).sort((a, b) => a.queuedAt - b.queuedAt);
  }

  async queueNames() {
    return [...this.#queues.keys()];
  }

  async getStaff(id: StaffId) {
    return this.#staff.get(id) ?? null;
  }

  async putStaff(presence: StaffPresence) {
    this.#staff.set(presence.id, withDesk(presence, this.#staff.get(presence.id), false));
  }

  async connectStaff(presence: StaffPresence, takeDesk = false) {
    const existing = this.#staff.get(presence.id);
    const before = existing?.connections ?? 0;
    this.#staff.set(presence.id, {
      ...withDesk(presence, existing, takeDesk),
      status: existing?.status ?? presence.status,
      connections: before + 1,
      disconnectedAt: null,
    });
    return before;
  }

  connectionsHere(id: StaffId) {
    return this.#staff.get(id)?.connections ?? 0;
  }

  async disconnectStaff(id: StaffId, now: number) {
    const p = this.#staff.get(id);
    if (!p) return null;
    const connections = Math.max(0, p.connections - 1);
    const next = { ...p, connections, disconnectedAt: connections === 0 ? now : null };
    this.#staff.set(id, next);
    return next;
  }

  async claimTimer(_name: string, _ttlMs: number) {
    // One process: its own interval already runs each job once.
    return true;
  }

  readonly nodeId = "local";

  async deadNodes(): Promise<ReadonlyMap<string, number>> {
    // One process: if it is dead, nobody asks.
    return new Map();
  }

  async deleteStaff(id: StaffId) {
    this.#staff.delete(id);
  }

  async listStaff() {
    return [...this.#staff.values()];
  }

  async markSpent(key: string, expiresAt: number) {
    const now = this.#now();
    const until = this.#spent.get(key);
    if (until !== undefined && until > now) return false;
    if (this.#spent.size >= MAX_SPENT_CHALLENGES) {
      for (const [k, t] of this.#spent) if (t <= now) this.#spent.delete(k);
      // Fail closed: an unbounded spent-set is a memory attack; refusing joins is recoverable.
      if (this.#spent.size >= MAX_SPENT_CHALLENGES) return false;
    }
    this.#spent.set(key, expiresAt);
    return true;
  }

  async noteJoin(minute: number) {
    this.#joins.set(minute, (this.#joins.get(minute) ?? 0) + 1);
    for (const m of this.#joins.keys()) if (m < minute - 2) this.#joins.delete(m);
  }

  async joinCounts(minutes: readonly number[]) {
    return minutes.map((m) => this.#joins.get(m) ?? 0);
  }

  async holdPlace(client: string, id: SessionId, max: number, expiresAt: number) {
    // One synchronous block, as the Redis store's script: nothing runs between the prune and the add.
    const now = this.#now();
    const held = this.#places.get(client) ?? new Map<SessionId, number>();
    for (const [place, until] of held)
      if (until <= now || this.#sessions.get(place)?.state !== "waiting") held.delete(place);
    const taken = held.size < max;
    if (taken) held.set(id, expiresAt);
    if (held.size === 0) this.#places.delete(client);
    else this.#places.set(client, held);
    return taken;
  }

  async releasePlace(client: string, id: SessionId) {
    const held = this.#places.get(client);
    held?.delete(id);
    if (held?.size === 0) this.#places.delete(client);
  }

  async issueWrapup(staff: StaffId, tokenHash: string, expiresAt: number) {
    const now = this.#now();
    if (this.#wrapups.size >= MAX_WRAPUP_TOKENS) {
      for (const [k, t] of this.#wrapups) if (t <= now) this.#wrapups.delete(k);
      if (this.#wrapups.size >= MAX_WRAPUP_TOKENS) return false;
    }
    this.#wrapups.set(`${staff} ${tokenHash}`, expiresAt);
    return true;
  }

  async redeemWrapup(staff: StaffId, tokenHash: string) {
    const key = `${staff} ${tokenHash}`;
    const until = this.#wrapups.get(key);
    if (until === undefined) return false;
    this.#wrapups.delete(key);
    return until > this.#now();
  }

  async counts(): Promise<StoreCounts> {
    const now = this.#now();
    let spent = 0;
    for (const [k, t] of this.#spent) {
      if (t > now) spent++;
      else this.#spent.delete(k);
    }
    let queued = 0;
    for (const q of this.#queues.values()) queued += q.size;
    return { sessions: (await this.listSessions()).length, queued, staff: this.#staff.size, spent };
  }

  async clear() {
    this.#sessions.clear();
    this.#sides.clear();
    this.#queues.clear();
    this.#held.clear();
    this.#heldBy.clear();
    this.#staff.clear();
    this.#spent.clear();
    this.#wrapups.clear();
    this.#joins.clear();
    this.#places.clear();
  }
}

/** The desk stays the stored one unless this write takes it (or none is stored yet). */
function withDesk(presence: StaffPresence, stored: StaffPresence | undefined, take: boolean): StaffPresence {
  if (take || stored?.desk === undefined) return presence;
  return { ...presence, desk: stored.desk };
}
