import type {
  Accept,
  Accepted,
  Ack,
  Assigned,
  Challenge,
  ClearSilent,
  Frame,
  HandoverFailed,
  Join,
  LoadSnapshot,
  Queued,
  Reclaim,
  QueuePosition,
  QueueSnapshot,
  Resume,
  SetStatus,
  StaffEnded,
  StaffLeave,
  StillWaiting,
  SurvivorEnded,
  SurvivorLeave,
  Take,
  Transfer,
  TransferKey,
  Transferring,
} from "./envelopes.ts";
import type { RelayErrorCode } from "./errors.ts";
import type { ResumeToken, SessionId, WrapupToken } from "./ids.ts";
import type { SideClientToServer, SideServerToClient } from "./side-channel.ts";

/**
 * The socket.io event maps, one source for the relay and both clients. Requests that need an
 * answer take a reply callback (socket.io acknowledgement) that receives a `Reply`.
 */
export type Reply<T = Record<string, never>> =
  | ({ readonly ok: true } & T)
  | { readonly ok: false; readonly error: RelayErrorCode };
export type ReplyFn<T = Record<string, never>> = (reply: Reply<T>) => void;

/**
 * Errors for events sent without a reply callback (frames may omit it; acks never have one).
 * `sessionId`/`seq` say which frame was refused so the sender keeps it for resending.
 */
export type RelayError = Readonly<{ code: RelayErrorCode; sessionId?: SessionId; seq?: number }>;

/** The other side's connection dropped (`connected: false`) or came back within the grace period. */
export type PeerStatus = Readonly<{ sessionId: SessionId; connected: boolean }>;

export const SURVIVOR_NAMESPACE = "/survivor";
export const STAFF_NAMESPACE = "/staff";

export interface SurvivorClientToServer {
  join: (join: Join, reply: ReplyFn<Queued>) => void;
  /** The reply carries a fresh resume token: each token works once. */
  resume: (resume: Resume, reply: ReplyFn<{ epoch: number; resumeToken: ResumeToken }>) => void;
  "transfer-key": (key: TransferKey, reply: ReplyFn) => void;
  /** The reply is optional: without one, a refusal arrives as an `error` event naming the frame. */
  frame: (frame: Frame, reply?: ReplyFn) => void;
  ack: (ack: Ack) => void;
  /**
   * The reply (optional) comes once the session is gone: the client disconnects after it, since
   * socket.io drops an event that arrives in the same read as the disconnect.
   */
  leave: (leave: SurvivorLeave, reply?: ReplyFn) => void;
  /** Keep-alive while queued; without it a waiting session loses its place (reply optional). */
  waiting: (waiting: StillWaiting, reply?: ReplyFn) => void;
}

export interface SurvivorServerToClient {
  challenge: (challenge: Challenge) => void;
  position: (position: QueuePosition) => void;
  accepted: (accepted: Accepted) => void;
  transferring: (transferring: Transferring) => void;
  frame: (frame: Frame) => void;
  ack: (ack: Ack) => void;
  ended: (ended: SurvivorEnded) => void;
  peer: (peer: PeerStatus) => void;
  error: (error: RelayError) => void;
}

export interface StaffClientToServer extends SideClientToServer {
  status: (status: SetStatus, reply: ReplyFn) => void;
  take: (take: Take, reply: ReplyFn<{ assigned: Assigned }>) => void;
  accept: (accept: Accept, reply: ReplyFn) => void;
  transfer: (transfer: Transfer, reply: ReplyFn) => void;
  reclaim: (reclaim: Reclaim, reply: ReplyFn) => void;
  /** The reply is optional: without one, a refusal arrives as an `error` event naming the frame. */
  frame: (frame: Frame, reply?: ReplyFn) => void;
  ack: (ack: Ack) => void;
  /** The reply carries the chat's one-time wrap-up token (absent if the chat had ended already). */
  leave: (leave: StaffLeave, reply: ReplyFn<{ wrapup?: WrapupToken }>) => void;
  /** Supervisors and admins: end waiting chats that never sent a keep-alive. */
  "clear-silent": (clear: ClearSilent, reply: ReplyFn<{ cleared: number }>) => void;
}

export interface StaffServerToClient extends SideServerToClient {
  queue: (queue: QueueSnapshot) => void;
  assigned: (assigned: Assigned) => void;
  frame: (frame: Frame) => void;
  ack: (ack: Ack) => void;
  ended: (ended: StaffEnded) => void;
  load: (load: LoadSnapshot) => void;
  "handover-failed": (failed: HandoverFailed) => void;
  peer: (peer: PeerStatus) => void;
  error: (error: RelayError) => void;
  /**
   * A newer console page of the same staff member (another tab, window or computer, or this one
   * reloaded) took the desk: its chats move there with a fresh handshake, and this socket is
   * closed after this. A reconnection of a replaced desk is refused with the error `replaced`.
   */
  replaced: () => void;
}
