import type {
  DeskId,
  Language,
  PartnerId,
  SessionId,
  SideId,
  StaffId,
  StaffStatus,
} from "../../shared/protocol/index.ts";
import type { StaffRole } from "../relay/deps.ts";

/**
 * What the relay remembers, and nothing more: routing metadata, public keys and the opaque
 * handshake blob. No ciphertext, no IP address, no socket id. Records are immutable values
 * (replace, never mutate) so a Redis store can serialize them without identity surprises.
 *
 * waiting      in a queue; no counselor yet.
 * assigned     a counselor holds it and owes the signed handshake (`accept`) for `epoch`.
 * active       the handshake was forwarded; frames flow at `epoch`.
 * transferring the relay asked the survivor for a fresh key for `epoch` (handover or requeue).
 * held         a handover fell through; nobody holds it and the sender (`previousCounselor`)
 *              decides: take it back or put it in the queue. Never auto-assigned.
 */
export type SessionState = "waiting" | "assigned" | "active" | "transferring" | "held";

/** What the staff queue view shows of a waiting chat, kept beside its queue entry. */
export type QueueInfo = Readonly<{ language: Language; partner: PartnerId; transferFrom: StaffId | null }>;

export type TransferInfo = Readonly<{ from: StaffId; fromName: string; note?: Uint8Array }>;

/** The queue a waiting session is in (`enqueue`'s name): its language and team. */
export const queueName = (s: Pick<SessionRecord, "language" | "team">) => `${s.language}:${s.team}`;

export type SessionRecord = Readonly<{
  id: SessionId;
  /** Bumped on every write; updates are compare-and-set on it. */
  version: number;
  state: SessionState;
  epoch: number;
  language: Language;
  partner: PartnerId;
  /** Queue partition for future sites/teams; "default" today. */
  team: string;
  /** The survivor's ephemeral public key for the current epoch. */
  survivorKey: Uint8Array;
  /** SHA-256 of the resume token: the token itself is only ever in the survivor's memory. */
  resumeTokenHash: Uint8Array;
  /**
   * SHA-256 of the token the last resume used, still accepted in case its answer (the new token)
   * was lost: until the new token is used, or the resumed socket proves it holds it (null then).
   */
  previousTokenHash: Uint8Array | null;
  /**
   * Until when (ms) `previousTokenHash` is accepted: one resume grace period after the resume
   * that kept it; null with it. Read as null from a record written before it existed: the
   * previous token is then refused.
   */
  previousTokenUntil: number | null;
  counselor: StaffId | null;
  /**
   * Counselor handing over: told `ended: transferred` when the new one accepts, or
   * `handover-failed` (and the session is `held` for them) if the target drops first.
   */
  previousCounselor: StaffId | null;
  /** Handover target while `transferring`; null means back to the queue. */
  transferTo: StaffId | null;
  transfer: TransferInfo | null;
  /** Signed handshake of the current epoch, re-sent to a survivor who resumes. */
  handshake: Uint8Array | null;
  queuedAt: number;
  assignedAt: number | null;
  lastActivity: number;
  /** The survivor's current socket id (socket.io room name), null while disconnected. */
  survivorSocket: string | null;
  /**
   * The relay node holding that socket (its store's `nodeId`), so that other nodes can tell a
   * survivor whose node died (no disconnect was ever recorded) from one still connected; null
   * while disconnected, and in records written before it existed.
   */
  survivorNode: string | null;
  survivorDisconnectedAt: number | null;
  /** Safety net: a store drops the record after this even if no relay node deletes it. */
  expiresAt: number;
}>;

export type StaffPresence = Readonly<{
  id: StaffId;
  displayName: string;
  role: StaffRole;
  certified: boolean;
  chatLimit: number;
  /** Languages the member counsels in (every language unless an admin narrowed it). */
  languages: readonly Language[];
  status: StaffStatus;
  /** Open sockets of this staff member (several tabs or nodes). */
  connections: number;
  /**
   * Sockets counted by any node, including a node whose heartbeat is late (it may only be
   * stalled, its sockets still open). Set by the Redis store; the relay delivers a frame
   * directly only when this node holds all of them. Absent: equal to `connections`.
   */
  countedAnywhere?: number;
  disconnectedAt: number | null;
  /**
   * The console page (desk) that holds this member's chats: the newest that connected fresh.
   * Another desk's reconnection is refused (`replaced`). Absent: none named yet (older clients).
   */
  desk?: DeskId;
}>;

/**
 * An "Ask a supervisor" request or conversation (server/relay/side-channel.ts): who asked, when,
 * who opened it and how far it got, plus the chat it is about, kept only to end it with the
 * chat. Never any of its bytes. Compare-and-set on `version`, like sessions, so two supervisors
 * on different nodes cannot both open one request.
 *
 * asked    waiting for a supervisor (listed to supervisors);
 * offered  a supervisor sent its signed offer; the asker owes the answer;
 * open     both hellos forwarded; messages flow between exactly these two.
 */
export type SideRecord = Readonly<{
  id: SideId;
  version: number;
  counselor: StaffId;
  counselorName: string;
  sessionId: SessionId;
  askedAt: number;
  supervisor: StaffId | null;
  phase: "asked" | "offered" | "open";
  /** Safety net, as for sessions: pushed forward while the conversation lives. */
  expiresAt: number;
}>;

export type StoreCounts = Readonly<{ sessions: number; queued: number; staff: number; spent: number }>;
