import type { SessionId, SideId, StaffId } from "../../shared/protocol/index.ts";
import { MAX_SPENT_CHALLENGES } from "./memory-store.ts";
import {
  decodeProfile,
  decodeSession,
  decodeSide,
  encodeProfile,
  encodeSession,
  encodeSide,
} from "./record-codec.ts";
import {
  type QueueInfo,
  queueName,
  type SessionRecord,
  type SideRecord,
  type StaffPresence,
  type StoreCounts,
} from "./records.ts";
import { asNumber, asString, asStrings, evalScript, type RedisCommands } from "./redis-commands.ts";
import { type DueQuery, isSweepCandidate, type QueuedEntry, type RelayStore } from "./store.ts";

/** A queue entry's info as stored by `enqueue` (JSON of the relay's own writing). */
function parseInfo(text: string | null): QueueInfo | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as QueueInfo;
  } catch {
    return null;
  }
}

/** A node that has not beaten for this long is dead: its sockets stop counting. */
export const NODE_TIMEOUT_MS = 3000;
export const HEARTBEAT_MS = 1000;
/** Index keys (session, queue and staff sets) outlive their last write by this much. */
const INDEX_TTL_MS = 24 * 60 * 60_000;

export type RedisStoreOptions = Readonly<{
  redis: RedisCommands;
  /** Every key starts with it (default `sahara:`), so one Redis can serve several helplines. */
  prefix: string;
  /** This process's random id: names its connection counts in presence hashes. */
  nodeId: string;
  now: () => number;
}>;

// Versioned records (sessions, side conversations) are stored as "<version>|<json>" so
// compare-and-set needs no JSON in Lua; each kind has its index set.
// A session also keeps its id in the held index (KEYS[held], ARGV "1") or out of it ("0") in
// the same step, so the index never misses a held session; ids of gone records are pruned on read.
// The keys after it are the per-counselor held indexes (counselor, handover target) of a held
// session: added to, never removed from here; ids no longer theirs are pruned on read.
const HELD = (first: number | string, flag: string, id: string, ttl: string) => `
if ${flag} == '1' then
  for i = ${first}, #KEYS do
    redis.call('SADD', KEYS[i], ${id})
    redis.call('PEXPIRE', KEYS[i], ${ttl})
  end
elseif ${flag} == '0' then redis.call('SREM', KEYS[${first}], ${id}) end`;

// The sweep's indexes of a session (KEYS[3..5], `DEADLINE_KEYS`), kept in the same step as
// its write: the flag is 'w' (waiting: in the waiting set), 'h' (not waiting: in the activity set
// scored by lastActivity) or '-' (a table without them); `gone` is the survivor's disconnection
// time, or '' while connected (out of the disconnection set).
const DEADLINES = (flag: string, id: string, ttl: string, activity: string, gone: string) => `
if ${flag} ~= '-' then
  if ${flag} == 'w' then
    redis.call('ZREM', KEYS[3], ${id})
    redis.call('SADD', KEYS[5], ${id})
    redis.call('PEXPIRE', KEYS[5], ${ttl})
  else
    redis.call('SREM', KEYS[5], ${id})
    redis.call('ZADD', KEYS[3], ${activity}, ${id})
    redis.call('PEXPIRE', KEYS[3], ${ttl})
  end
  if ${gone} ~= '' then
    redis.call('ZADD', KEYS[4], ${gone}, ${id})
    redis.call('PEXPIRE', KEYS[4], ${ttl})
  else redis.call('ZREM', KEYS[4], ${id}) end
end`;

const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
${DEADLINES("ARGV[6]", "ARGV[3]", "ARGV[4]", "ARGV[7]", "ARGV[8]")}
${HELD(6, "ARGV[5]", "ARGV[3]", "ARGV[4]")}
return 1`;

// A write also pushes the expiry of the index keys its record is listed in (KEYS[2], the
// deadline indexes it is added to, and for a waiting session its queue's sorted set, info hash
// and the queue names: ARGV[7] of them, from KEYS[6]), so an index cannot lapse while a record
// in it lives: a record outlives its last write by far less.
const UPDATE = `
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local v = tonumber(string.match(cur, '^(%d+)|'))
if v ~= tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
local first = 6 + tonumber(ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
for i = 6, first - 1 do redis.call('PEXPIRE', KEYS[i], ARGV[6]) end
${DEADLINES("ARGV[8]", "ARGV[5]", "ARGV[6]", "ARGV[9]", "ARGV[10]")}
${HELD("first", "ARGV[4]", "ARGV[5]", "ARGV[6]")}
return 1`;

// Read and removed in one step: the value comes back to exactly one of several callers racing
// to delete (nil to the others), as it was last written. ARGV[2], if not empty, is the version
// the caller read: a record written since is left as it is (nil).
const DELETE = `
local cur = redis.call('GET', KEYS[1])
if cur and ARGV[2] ~= '' and tonumber(string.match(cur, '^(%d+)|')) ~= tonumber(ARGV[2]) then
  return false
end
if cur then redis.call('DEL', KEYS[1]) end
redis.call('SREM', KEYS[2], ARGV[1])
if KEYS[5] then
  redis.call('ZREM', KEYS[3], ARGV[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('SREM', KEYS[5], ARGV[1])
end
return cur`;

// The ids the sweep may have to act on, from the deadline indexes alone (no record): sessions
// not waiting last active at or before ARGV[1], those whose survivor disconnected at or before
// ARGV[2], and every waiting one.
const DUE_IDS = `
local ids = {}
local seen = {}
local function add(list)
  for _, id in ipairs(list) do
    if not seen[id] then
      seen[id] = true
      ids[#ids + 1] = id
    end
  end
end
add(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]))
add(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2]))
add(redis.call('SMEMBERS', KEYS[3]))
return ids`;

// KEYS[3]: the queue's info hash (entry id to QueueInfo JSON), beside its sorted set.
const ENQUEUE = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[5])
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
else redis.call('HDEL', KEYS[3], ARGV[2]) end
return 1`;

// ARGV[3], if not empty, is the session's version the caller read ('-': no record): the entry
// is left (0) if the record (KEYS[4]) was written, or created, since.
const DEQUEUE = `
if ARGV[3] ~= '' then
  local cur = redis.call('GET', KEYS[4])
  local v = cur and string.match(cur, '^(%d+)|') or '-'
  if v ~= ARGV[3] then return 0 end
end
local n = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[2], ARGV[2])
  redis.call('DEL', KEYS[3])
end
return n`;

// Presence: field "profile" (JSON) and one "c:<node>" count per node with sockets.
const READ_STAFF = `
local h = redis.call('HGETALL', KEYS[1])
if #h == 0 then return false end
local profile = false
local total = 0
local anywhere = 0
local lastDead = 0
for i = 1, #h, 2 do
  local f = h[i]
  if f == 'profile' then profile = h[i + 1]
  elseif string.sub(f, 1, 2) == 'c:' then
    local n = tonumber(h[i + 1])
    if n > 0 then
      anywhere = anywhere + n
      local score = redis.call('ZSCORE', KEYS[2], string.sub(f, 3))
      if score and tonumber(score) >= tonumber(ARGV[1]) then total = total + n
      else
        local s = tonumber(score or '1')
        if s > lastDead then lastDead = s end
      end
    end
  end
end
if not profile then return false end
return {profile, tostring(total), tostring(lastDead), tostring(anywhere)}`;

const CONNECT_STAFF = `
if redis.call('HEXISTS', KEYS[1], 'profile') == 0 then
  redis.call('HSET', KEYS[1], 'profile', ARGV[1])
else
  local cur = cjson.decode(redis.call('HGET', KEYS[1], 'profile'))
  local new = cjson.decode(ARGV[1])
  new['status'] = cur['status']
  if ARGV[5] ~= '1' and cur['desk'] then new['desk'] = cur['desk'] end
  new['disconnectedAt'] = cjson.null
  redis.call('HSET', KEYS[1], 'profile', cjson.encode(new))
end
redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1`;

const DISCONNECT_STAFF = `
if redis.call('HEXISTS', KEYS[1], 'profile') == 0 then return 0 end
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1`;

const PUT_PROFILE = `
local profile = ARGV[1]
local stored = redis.call('HGET', KEYS[1], 'profile')
if stored then
  local cur = cjson.decode(stored)
  local new = cjson.decode(profile)
  if cur['desk'] and new['desk'] ~= cur['desk'] then
    new['desk'] = cur['desk']
    profile = cjson.encode(new)
  end
end
redis.call('HSET', KEYS[1], 'profile', profile)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1`;

// The instance marker: set once per Redis lifetime by whichever node beats first.
const MARKER = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('GET', KEYS[1])`;

const MARK_SPENT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local ttl = tonumber(ARGV[2]) - tonumber(ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

// A place is taken only under the bound, after dropping the expired places and those whose session
// (key ARGV[5] .. id, "<version>|<json>") is gone or no longer waiting: one step, so nodes racing
// for the last place cannot both take it, nor drop a place another node just took (its record is
// written first). The session keys are read by name, not declared: one Redis, never a cluster.
const HOLD_PLACE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
for _, place in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local cur = redis.call('GET', ARGV[5] .. place)
  local bar = cur and string.find(cur, '|', 1, true)
  local ok, record = false, nil
  if bar then ok, record = pcall(cjson.decode, string.sub(cur, bar + 1)) end
  if not (ok and type(record) == 'table' and record['state'] == 'waiting') then
    redis.call('ZREM', KEYS[1], place)
  end
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local ttl = tonumber(ARGV[2]) - tonumber(ARGV[4])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

type Versioned = Readonly<{ id: string; version: number; expiresAt: number }>;
type Table<R> = Readonly<{
  key: string;
  index: string;
  encode: (r: R) => string;
  decode: (text: string) => R | null;
  /**
   * A second index of the records for which `held` is true (sessions not waiting), and one per
   * owner (`ownerIndex` + id) of each held record.
   */
  held?: Readonly<{ index: string; test: (r: R) => boolean; ownerIndex: string; owners: (r: R) => string[] }>;
  /** The queue a record is listed in (a waiting session), whose keys a write keeps alive. */
  queue?: (r: R) => string | null;
  /**
   * The sweep's indexes (`DEADLINES`): the flag ('w' waiting, 'h' not), the activity score and
   * the disconnection score ('' while the survivor is connected).
   */
  deadlines?: (r: R) => readonly [flag: "w" | "h", activity: number, gone: number | ""];
}>;
/** The sweep's index keys, in the scripts' order (KEYS[3..5]). */
const DEADLINE_KEYS = ["sessions-by-activity", "sessions-by-disconnect", "waiting-sessions"] as const;
const SESSIONS: Table<SessionRecord> = {
  key: "session",
  index: "sessions",
  encode: encodeSession,
  decode: decodeSession,
  held: {
    index: "held-sessions",
    test: (r) => r.state !== "waiting",
    ownerIndex: "held-by",
    owners: (r) => [r.counselor, r.transferTo].filter((o): o is StaffId => o !== null),
  },
  queue: (r) => (r.state === "waiting" ? queueName(r) : null),
  deadlines: (r) => [
    r.state === "waiting" ? "w" : "h",
    r.lastActivity,
    r.survivorSocket === null && r.survivorDisconnectedAt !== null ? r.survivorDisconnectedAt : "",
  ],
};
const SIDES: Table<SideRecord> = { key: "side", index: "sides", encode: encodeSide, decode: decodeSide };

/**
 * The relay's state in Redis, for several relay nodes (the contract in store.ts). Every key
 * carries an expiry; values are what relay memory holds in single-node mode (opaque ids, hashed
 * tokens, public keys, routing metadata), nothing more.
 */
export class RedisStore implements RelayStore {
  readonly #redis: RedisCommands;
  readonly #p: string;
  readonly #node: string;
  /** A plain field, not a getter on `#node`: tests wrap stores in proxies. */
  readonly nodeId: string;
  readonly #now: () => number;
  /** This node's own socket counts, refreshed in Redis by the heartbeat. */
  readonly #local = new Map<StaffId, number>();
  /** The instance marker this node last saw (null before its first beat). */
  #marker: string | null = null;

  constructor(options: RedisStoreOptions) {
    this.#redis = options.redis;
    this.#p = options.prefix;
    this.#node = options.nodeId;
    this.nodeId = options.nodeId;
    this.#now = options.now;
  }

  #key = (...parts: string[]) => this.#p + parts.join(":");
  #send = (...args: string[]) => this.#redis.send(args);

  async getSession(id: SessionId) {
    return this.#get(SESSIONS, id);
  }

  async sessionVersion(id: SessionId) {
    // "<version>|<json>": the first bytes hold the version.
    const head = asString(await this.#send("GETRANGE", this.#key(SESSIONS.key, id), "0", "15")) ?? "";
    const bar = head.indexOf("|");
    return bar > 0 ? Number(head.slice(0, bar)) : null;
  }

  async createSession(record: SessionRecord) {
    return this.#create(SESSIONS, record);
  }

  async updateSession(next: SessionRecord) {
    return this.#update(SESSIONS, next);
  }

  async deleteSession(id: SessionId, ifVersion?: number) {
    return this.#parse(SESSIONS, await this.#delete(SESSIONS, id, ifVersion));
  }

  async listSessions() {
    return this.#list(SESSIONS);
  }

  async getSide(id: SideId) {
    return this.#get(SIDES, id);
  }

  async createSide(record: SideRecord) {
    return this.#create(SIDES, record);
  }

  async updateSide(next: SideRecord) {
    return this.#update(SIDES, next);
  }

  async deleteSide(id: SideId) {
    return (await this.#delete(SIDES, id)) !== null;
  }

  async listSides() {
    return this.#list(SIDES);
  }

  #parse<R>(table: Table<R>, raw: string | null): R | null {
    if (!raw) return null;
    const bar = raw.indexOf("|");
    return bar < 0 ? null : table.decode(raw.slice(bar + 1));
  }

  async #get<R>(table: Table<R>, id: string) {
    return this.#parse(table, asString(await this.#send("GET", this.#key(table.key, id))));
  }

  async #create<R extends Versioned>(table: Table<R>, record: R) {
    const value = `${record.version}|${table.encode(record)}`;
    const keys = [
      this.#key(table.key, record.id),
      this.#key(table.index),
      ...this.#deadlineKeys(table),
      ...this.#heldKeys(table, record),
    ];
    const args = [
      value,
      record.expiresAt,
      record.id,
      INDEX_TTL_MS,
      this.#heldFlag(table, record),
      ...this.#deadlineArgs(table, record),
    ];
    return asNumber(await evalScript(this.#redis, CREATE, keys, args)) === 1;
  }

  async #update<R extends Versioned>(table: Table<R>, next: R) {
    const value = `${next.version}|${table.encode(next)}`;
    const queue = table.queue?.(next) ?? null;
    const queueKeys = queue
      ? [this.#key("queue", queue), this.#key("queue-info", queue), this.#key("queues")]
      : [];
    const keys = [
      this.#key(table.key, next.id),
      this.#key(table.index),
      ...this.#deadlineKeys(table),
      ...queueKeys,
      ...this.#heldKeys(table, next),
    ];
    const args = [
      value,
      next.expiresAt,
      next.version - 1,
      this.#heldFlag(table, next),
      next.id,
      INDEX_TTL_MS,
      queueKeys.length,
      ...this.#deadlineArgs(table, next),
    ];
    return asNumber(await evalScript(this.#redis, UPDATE, keys, args)) === 1;
  }

  /**
   * The held index's key and, for a held record, its owners' keys; tables without one name their
   * own index, which the flag "-" leaves alone.
   */
  #heldKeys<R>(table: Table<R>, record: R) {
    const { held } = table;
    if (!held) return [this.#key(table.index)];
    const owners = held.test(record) ? held.owners(record).map((o) => this.#key(held.ownerIndex, o)) : [];
    return [this.#key(held.index), ...owners];
  }

  #heldFlag<R>(table: Table<R>, record: R) {
    if (!table.held) return "-";
    return table.held.test(record) ? "1" : "0";
  }

  /** The sweep's index keys; a table without them names its own index three times (flag '-'). */
  #deadlineKeys<R>(table: Table<R>) {
    return table.deadlines
      ? DEADLINE_KEYS.map((k) => this.#key(k))
      : [this.#key(table.index), this.#key(table.index), this.#key(table.index)];
  }

  #deadlineArgs<R>(table: Table<R>, record: R) {
    return table.deadlines?.(record) ?? ["-", "", ""];
  }

  /** The stored value this call removed ("<version>|<json>"), or null if there was none. */
  async #delete<R>(table: Table<R>, id: string, ifVersion?: number) {
    const deadlines = table.deadlines ? DEADLINE_KEYS.map((k) => this.#key(k)) : [];
    const keys = [this.#key(table.key, id), this.#key(table.index), ...deadlines];
    return asString(await evalScript(this.#redis, DELETE, keys, [id, ifVersion ?? ""]));
  }

  async #list<R>(table: Table<R>, index = table.index): Promise<R[]> {
    const ids = asStrings(await this.#send("SMEMBERS", this.#key(index))).filter(
      (id): id is string => id !== null,
    );
    if (ids.length === 0) return [];
    const values = asStrings(await this.#send("MGET", ...ids.map((id) => this.#key(table.key, id))));
    const out: R[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const record = this.#parse(table, values[i] ?? null);
      if (record) out.push(record);
      else gone.push(id);
    });
    // Expired records leave their id in the index: prune it here.
    if (gone.length > 0) await this.#send("SREM", this.#key(index), ...gone);
    return out;
  }

  async heldSessionsOf(staff: StaffId) {
    const index = `${SESSIONS.held?.ownerIndex ?? SESSIONS.index}:${staff}`;
    // Ids of chats since ended, handed on or back in the queue are dropped here.
    const mine = (r: SessionRecord) =>
      r.state !== "waiting" && (r.counselor === staff || r.transferTo === staff);
    const records = await this.#list(SESSIONS, index);
    const gone = records.filter((r) => !mine(r)).map((r) => r.id);
    if (gone.length > 0) await this.#send("SREM", this.#key(index), ...gone);
    return records.filter(mine);
  }

  async heldSessions() {
    const index = SESSIONS.held?.index ?? SESSIONS.index;
    // An id left behind by a delete, an expiry or a lost race is dropped at the next read.
    return (await this.#list(SESSIONS, index)).filter((r) => r.state !== "waiting");
  }

  async dueSessions(query: DueQuery) {
    const keys = DEADLINE_KEYS.map((k) => this.#key(k));
    const args = [query.idleBefore, query.disconnectedBefore];
    const ids = asStrings(await evalScript(this.#redis, DUE_IDS, keys, args)).filter(
      (id): id is string => id !== null,
    );
    if (ids.length === 0) return [];
    const values = asStrings(await this.#send("MGET", ...ids.map((id) => this.#key(SESSIONS.key, id))));
    const out: SessionRecord[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const record = this.#parse(SESSIONS, values[i] ?? null);
      if (record) out.push(record);
      else gone.push(id);
    });
    // A record that expired (or that a node without these indexes deleted) leaves its id behind:
    // prune it here, as `#list` does (an id is never reused, so it cannot belong to a new record).
    if (gone.length > 0) {
      const [byActivity, byDisconnect, waiting] = DEADLINE_KEYS;
      await this.#send("ZREM", this.#key(byActivity), ...gone);
      await this.#send("ZREM", this.#key(byDisconnect), ...gone);
      await this.#send("SREM", this.#key(waiting), ...gone);
    }
    // An index entry older than the record's last write (written by a node without these
    // indexes) is only a wasted read: the record itself decides.
    return out.filter((r) => isSweepCandidate(r, query));
  }

  async waitingSessions() {
    return (await this.#list(SESSIONS, "waiting-sessions")).filter((r) => r.state === "waiting");
  }

  async sessionsOf(counselor: StaffId) {
    return (await this.listSessions()).filter((r) => r.counselor === counselor);
  }

  async enqueue(queue: string, id: SessionId, queuedAt: number, info?: QueueInfo) {
    const keys = [this.#key("queue", queue), this.#key("queues"), this.#key("queue-info", queue)];
    const args = [queuedAt, id, queue, INDEX_TTL_MS, info ? JSON.stringify(info) : ""];
    await evalScript(this.#redis, ENQUEUE, keys, args);
  }

  async dequeue(queue: string, id: SessionId, ifVersion?: number | null) {
    const keys = [
      this.#key("queue", queue),
      this.#key("queues"),
      this.#key("queue-info", queue),
      this.#key(SESSIONS.key, id),
    ];
    const condition = ifVersion === undefined ? "" : ifVersion === null ? "-" : String(ifVersion);
    return asNumber(await evalScript(this.#redis, DEQUEUE, keys, [id, queue, condition])) === 1;
  }

  async queueEntries(queue: string): Promise<QueuedEntry[]> {
    const flat = asStrings(await this.#send("ZRANGE", this.#key("queue", queue), "0", "-1", "WITHSCORES"));
    const ids: SessionId[] = [];
    const scores: number[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = flat[i];
      if (id === null || id === undefined) continue;
      ids.push(id as SessionId);
      scores.push(Number(flat[i + 1]));
    }
    if (ids.length === 0) return [];
    const infos = asStrings(await this.#send("HMGET", this.#key("queue-info", queue), ...ids));
    return ids.map((id, i) => ({ id, queuedAt: scores[i] ?? 0, info: parseInfo(infos[i] ?? null) }));
  }

  async queueIds(queue: string) {
    return asStrings(await this.#send("ZRANGE", this.#key("queue", queue), "0", "-1")).filter(
      (id): id is SessionId => id !== null,
    );
  }

  async queueNames() {
    return asStrings(await this.#send("SMEMBERS", this.#key("queues"))).filter(
      (q): q is string => q !== null,
    );
  }

  async getStaff(id: StaffId): Promise<StaffPresence | null> {
    const now = this.#now();
    const keys = [this.#key("staff", id), this.#key("nodes")];
    const reply = asStrings(await evalScript(this.#redis, READ_STAFF, keys, [now - NODE_TIMEOUT_MS]));
    const profile = reply[0] ? decodeProfile(reply[0]) : null;
    if (!profile) return null;
    // This node always knows its own sockets, even while its heartbeat is missing from Redis
    // (just after a Redis restart, before the next beat): they never count as dead.
    const connections = Math.max(Number(reply[1] ?? 0), this.#local.get(id) ?? 0);
    const lastDead = Number(reply[2] ?? 0);
    const countedAnywhere = Math.max(Number(reply[3] ?? 0), connections);
    // Sockets of a dead node count as disconnected when its heartbeat stopped.
    const disconnectedAt =
      connections > 0 ? null : (profile.disconnectedAt ?? (lastDead > 0 ? lastDead : now));
    return { ...profile, connections, disconnectedAt, countedAnywhere };
  }

  async putStaff(presence: StaffPresence) {
    const keys = [this.#key("staff", presence.id), this.#key("staff-ids")];
    await evalScript(this.#redis, PUT_PROFILE, keys, [encodeProfile(presence), presence.id, INDEX_TTL_MS]);
  }

  async connectStaff(presence: StaffPresence, takeDesk = false) {
    const before = (await this.getStaff(presence.id))?.connections ?? 0;
    const keys = [this.#key("staff", presence.id), this.#key("staff-ids")];
    const args = [
      encodeProfile(presence),
      `c:${this.#node}`,
      presence.id,
      INDEX_TTL_MS,
      takeDesk ? "1" : "0",
    ];
    // This node is alive now, whatever its last beat reached: a count it writes must never be
    // read as a dead node's (after a Redis restart the `nodes` set is empty until the next beat,
    // and another node's sweep would release this counselor and delete their presence).
    await this.#send("ZADD", this.#key("nodes"), String(this.#now()), this.#node);
    await evalScript(this.#redis, CONNECT_STAFF, keys, args);
    this.#local.set(presence.id, (this.#local.get(presence.id) ?? 0) + 1);
    return before;
  }

  connectionsHere(id: StaffId) {
    return this.#local.get(id) ?? 0;
  }

  async disconnectStaff(id: StaffId, now: number) {
    const mine = (this.#local.get(id) ?? 0) - 1;
    if (mine > 0) this.#local.set(id, mine);
    else this.#local.delete(id);
    const keys = [this.#key("staff", id)];
    if (asNumber(await evalScript(this.#redis, DISCONNECT_STAFF, keys, [`c:${this.#node}`])) !== 1)
      return null;
    const p = await this.getStaff(id);
    if (!p) return null;
    if (p.connections > 0) return p;
    const gone = { ...p, disconnectedAt: now };
    await this.putStaff(gone);
    return gone;
  }

  async deleteStaff(id: StaffId) {
    await this.#send("DEL", this.#key("staff", id));
    await this.#send("SREM", this.#key("staff-ids"), id);
  }

  async listStaff() {
    const ids = asStrings(await this.#send("SMEMBERS", this.#key("staff-ids"))).filter(
      (id): id is StaffId => id !== null,
    );
    const out: StaffPresence[] = [];
    for (const id of ids) {
      const p = await this.getStaff(id);
      if (p) out.push(p);
      else await this.#send("SREM", this.#key("staff-ids"), id);
    }
    return out;
  }

  async markSpent(key: string, expiresAt: number) {
    const args = [key, expiresAt, this.#now(), MAX_SPENT_CHALLENGES];
    return asNumber(await evalScript(this.#redis, MARK_SPENT, [this.#key("spent")], args)) === 1;
  }

  async noteJoin(minute: number) {
    const key = this.#key("joins", String(minute));
    await this.#send("INCR", key);
    // Read for this minute and the next: then gone.
    await this.#send("PEXPIRE", key, "180000");
  }

  async joinCounts(minutes: readonly number[]) {
    if (minutes.length === 0) return [];
    const reply = await this.#send("MGET", ...minutes.map((m) => this.#key("joins", String(m))));
    return asStrings(reply).map((v) => (v === null ? 0 : Number(v)));
  }

  async holdPlace(client: string, id: SessionId, max: number, expiresAt: number) {
    const args = [id, expiresAt, max, this.#now(), this.#key(SESSIONS.key, "")];
    return asNumber(await evalScript(this.#redis, HOLD_PLACE, [this.#key("places", client)], args)) === 1;
  }

  async releasePlace(client: string, id: SessionId) {
    await this.#send("ZREM", this.#key("places", client), id);
  }

  async issueWrapup(staff: StaffId, tokenHash: string, expiresAt: number) {
    const reply = await this.#send(
      "SET",
      this.#key("wrapup", staff, tokenHash),
      "1",
      "NX",
      "PXAT",
      String(expiresAt),
    );
    return reply === "OK";
  }

  async redeemWrapup(staff: StaffId, tokenHash: string) {
    // DEL's count is the claim: two nodes redeeming the same token at once cannot both win.
    return asNumber(await this.#send("DEL", this.#key("wrapup", staff, tokenHash))) === 1;
  }

  async claimTimer(name: string, ttlMs: number) {
    const reply = await this.#send("SET", this.#key("timer", name), this.#node, "NX", "PX", String(ttlMs));
    return reply === "OK";
  }

  /**
   * Marks this node alive and keeps its staff presence keys from expiring. Resolves to true when
   * Redis has lost its data since the last beat (restarted without persistence, flushed): the
   * instance marker this node saw is gone or replaced. Sessions and logins went with it; the
   * caller tells its clients (RelayHandle.storeLost).
   */
  async heartbeat(): Promise<boolean> {
    const now = this.#now();
    const fresh = `${this.#node}.${now}`;
    const marker = asString(
      await evalScript(this.#redis, MARKER, [this.#key("instance")], [fresh, INDEX_TTL_MS]),
    );
    const lost = this.#marker !== null && marker !== this.#marker;
    this.#marker = marker;
    await this.#send("ZADD", this.#key("nodes"), String(now), this.#node);
    await this.#send("ZREMRANGEBYSCORE", this.#key("nodes"), "-inf", String(now - INDEX_TTL_MS));
    await this.#send("PEXPIRE", this.#key("nodes"), String(INDEX_TTL_MS));
    for (const id of this.#local.keys()) {
      await this.#send("PEXPIRE", this.#key("staff", id), String(INDEX_TTL_MS));
    }
    // The staff index outlives every presence this node keeps alive.
    if (this.#local.size > 0) await this.#send("PEXPIRE", this.#key("staff-ids"), String(INDEX_TTL_MS));
    return lost;
  }

  async deadNodes(): Promise<ReadonlyMap<string, number>> {
    const reply = asStrings(
      await this.#send(
        "ZRANGEBYSCORE",
        this.#key("nodes"),
        "-inf",
        `(${this.#now() - NODE_TIMEOUT_MS}`,
        "WITHSCORES",
      ),
    );
    const dead = new Map<string, number>();
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const [node, beat] = [reply[i], Number(reply[i + 1])];
      if (node && node !== this.#node && Number.isFinite(beat)) dead.set(node, beat);
    }
    return dead;
  }

  /** A node stopping on purpose: its counts are gone already; drop it from the live set. */
  async leave() {
    await this.#send("ZREM", this.#key("nodes"), this.#node);
  }

  async counts(): Promise<StoreCounts> {
    const sessions = (await this.listSessions()).length;
    let queued = 0;
    for (const q of await this.queueNames())
      queued += asNumber(await this.#send("ZCARD", this.#key("queue", q)));
    const staff = asNumber(await this.#send("SCARD", this.#key("staff-ids")));
    await this.#send("ZREMRANGEBYSCORE", this.#key("spent"), "-inf", String(this.#now()));
    const spent = asNumber(await this.#send("ZCARD", this.#key("spent")));
    return { sessions, queued, staff, spent };
  }

  /** Deletes every key under the prefix (tests; a single-node reset). */
  async clear() {
    let cursor = "0";
    do {
      const reply = await this.#send("SCAN", cursor, "MATCH", `${this.#p}*`, "COUNT", "500");
      const [next, keys] = Array.isArray(reply) ? reply : ["0", []];
      cursor = typeof next === "string" ? next : "0";
      const found = asStrings(keys ?? []).filter((k): k is string => k !== null);
      if (found.length > 0) await this.#send("DEL", ...found);
    } while (cursor !== "0");
    this.#local.clear();
  }
}
