import type { Logger } from "pino";
import type { Namespace } from "socket.io";
import type {
  SessionId,
  StaffClientToServer,
  StaffServerToClient,
  SurvivorClientToServer,
  SurvivorServerToClient,
} from "../../shared/protocol/index.ts";
import type { RelayStore } from "../state/store.ts";
import type { Admission } from "./admission.ts";
import type { RelayDeps, StaffPrincipal } from "./deps.ts";
import type { PowIssuer } from "./pow.ts";
import type { SocketGates, TokenBucket } from "./rate-limit.ts";

/** `bucket` limits every event but acks; `acks` limits end-to-end acks alone (limits.ts). */
export type SurvivorData = {
  bucket: TokenBucket;
  acks: TokenBucket;
  /** The socket's gates over those buckets, for the namespace's shared listeners. */
  gates: SocketGates;
  sessionId: SessionId | null;
  /**
   * The session a `leave` with reason `quick-exit` named, noted as the packet is read: socket.io
   * drops an event that arrives in the same read as the disconnect packet, and the disconnect
   * then still ends the chat as a quick exit.
   */
  quickExit: SessionId | null;
  /**
   * The session this socket resumed whose previous token the relay still accepts: the socket's
   * next `frame` or `waiting` proves the new token arrived and withdraws it (PROTOCOL.md, Resume).
   */
  unconfirmed?: SessionId | null;
  /** This socket's requests waiting in, or running from, the relay's serial queue (survivor-handlers.ts). */
  queued: number;
};
export type StaffData = { bucket: TokenBucket; acks: TokenBucket; principal: StaffPrincipal };

// biome-ignore lint/complexity/noBannedTypes: socket.io's "no server-to-server events" slot.
type NoEvents = {};
export type SurvivorNamespace = Namespace<
  SurvivorClientToServer,
  SurvivorServerToClient,
  NoEvents,
  SurvivorData
>;
export type StaffNamespace = Namespace<StaffClientToServer, StaffServerToClient, NoEvents, StaffData>;

export type ResolvedOptions = Readonly<{
  resumeGraceMs: number;
  idleTimeoutMs: number;
  powDifficulty: number | null;
  maxWaiting: number;
  /** Queue places one client address may hold (MAX_WAITING_PER_CLIENT). */
  maxWaitingPerClient: number;
  /** A waiting session not kept alive for this long loses its place (WAITING_SILENCE_MS). */
  waitingSilenceMs: number;
  rateLimit: Readonly<{ burst: number; perSecond: number }>;
  ackRateLimit: Readonly<{ burst: number; perSecond: number }>;
  sweepIntervalMs: number;
}>;

/** Everything the relay's handlers share. Built once by attachRelay. */
export type RelayContext = Readonly<{
  deps: RelayDeps;
  log: Logger;
  options: ResolvedOptions;
  store: RelayStore;
  pow: PowIssuer;
  admission: Admission;
  survivors: SurvivorNamespace;
  staff: StaffNamespace;
  /**
   * Runs state-changing work one task at a time on this node, so interleaved awaits cannot
   * double-assign or resurrect a session. Across nodes the store's compare-and-set does that.
   */
  serial: <T>(task: () => Promise<T>) => Promise<T>;
  /** Coalesces queue positions, queue snapshots and load snapshots into one push. */
  changed: () => void;
  closing: () => boolean;
  stats: RelayStats;
}>;

/** Node-local numbers: cached counts for the synchronous `counts()`, and the wait estimate. */
export type RelayStats = {
  waiting: number;
  active: number;
  /** Exponential moving average of observed queue waits, for "estimated wait". */
  averageWaitMs: number;
};

export const sessionRoom = (id: SessionId) => `session:${id}`;
export const staffRoom = (id: string) => `staff:${id}`;
export const STAFF_ALL_ROOM = "staff";
export const SUPERVISORS_ROOM = "supervisors";

/** Safety-net expiry for a stored record: past any idle or grace deadline the relay enforces. */
export const recordExpiry = (ctx: RelayContext, now: number) =>
  now + ctx.options.idleTimeoutMs + ctx.options.resumeGraceMs + 60_000;
