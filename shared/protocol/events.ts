import type {
  Accept,
  Accepted,
  Ack,
  Assigned,
  Challenge,
  Frame,
  Join,
  LoadSnapshot,
  Queued,
  QueuePosition,
  QueueSnapshot,
  Resume,
  SetStatus,
  StaffEnded,
  StaffLeave,
  SurvivorEnded,
  SurvivorLeave,
  Take,
  Transfer,
  TransferKey,
  Transferring,
} from "./envelopes.ts";
import type { RelayErrorCode } from "./errors.ts";

/**
 * The socket.io event maps, one source for the relay and both clients. Requests that need an
 * answer take a reply callback (socket.io acknowledgement) that receives a `Reply`.
 */
export type Reply<T = Record<string, never>> =
  | ({ readonly ok: true } & T)
  | { readonly ok: false; readonly error: RelayErrorCode };
export type ReplyFn<T = Record<string, never>> = (reply: Reply<T>) => void;

export const SURVIVOR_NAMESPACE = "/survivor";
export const STAFF_NAMESPACE = "/staff";

export interface SurvivorClientToServer {
  join: (join: Join, reply: ReplyFn<Queued>) => void;
  resume: (resume: Resume, reply: ReplyFn<{ epoch: number }>) => void;
  "transfer-key": (key: TransferKey, reply: ReplyFn) => void;
  frame: (frame: Frame, reply: ReplyFn) => void;
  ack: (ack: Ack) => void;
  leave: (leave: SurvivorLeave) => void;
}

export interface SurvivorServerToClient {
  challenge: (challenge: Challenge) => void;
  position: (position: QueuePosition) => void;
  accepted: (accepted: Accepted) => void;
  transferring: (transferring: Transferring) => void;
  frame: (frame: Frame) => void;
  ack: (ack: Ack) => void;
  ended: (ended: SurvivorEnded) => void;
  error: (error: { code: RelayErrorCode }) => void;
}

export interface StaffClientToServer {
  status: (status: SetStatus, reply: ReplyFn) => void;
  take: (take: Take, reply: ReplyFn<{ assigned: Assigned }>) => void;
  accept: (accept: Accept, reply: ReplyFn) => void;
  transfer: (transfer: Transfer, reply: ReplyFn) => void;
  frame: (frame: Frame, reply: ReplyFn) => void;
  ack: (ack: Ack) => void;
  leave: (leave: StaffLeave, reply: ReplyFn) => void;
}

export interface StaffServerToClient {
  queue: (queue: QueueSnapshot) => void;
  assigned: (assigned: Assigned) => void;
  frame: (frame: Frame) => void;
  ack: (ack: Ack) => void;
  ended: (ended: StaffEnded) => void;
  load: (load: LoadSnapshot) => void;
  error: (error: { code: RelayErrorCode }) => void;
}
