import * as v from "valibot";
import { bytesSchema } from "./bytes-schema.ts";
import type { TransferRefusal } from "./errors.ts";
import {
  DeskIdSchema,
  PartnerIdSchema,
  ResumeTokenSchema,
  SessionIdSchema,
  StaffIdSchema,
  type WrapupTokenSchema,
} from "./ids.ts";
import {
  LANGUAGES,
  MAX_DISPLAY_NAME_CHARS,
  MAX_EPOCH,
  MAX_FRAME_BYTES,
  MAX_HANDOVER_BYTES,
  MAX_HANDSHAKE_BYTES,
  MAX_SEQUENCE,
  POW_CHALLENGE_CHARS,
  POW_NONCE_BYTES,
  PROTOCOL_VERSION,
  PUBLIC_KEY_BYTES,
} from "./limits.ts";

/**
 * What the relay sees: routing metadata and opaque bytes. Nothing here carries chat content;
 * text, typing, receipts, "who is this for" and nicknames travel inside `frame.ciphertext`.
 */

const seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEQUENCE));
const epoch = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_EPOCH));
const seconds = v.pipe(v.number(), v.integer(), v.minValue(0));

export const LanguageSchema = v.picklist(LANGUAGES);
export type Language = v.InferOutput<typeof LanguageSchema>;

export const PublicKeySchema = bytesSchema(PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES);

/** An encrypted application frame. `epoch` counts handshakes (transfers) within the session. */
export const FrameSchema = v.strictObject({
  sessionId: SessionIdSchema,
  epoch,
  seq,
  ciphertext: bytesSchema(1, MAX_FRAME_BYTES),
});
export type Frame = v.InferOutput<typeof FrameSchema>;

/** End-to-end acknowledgement: the receiver opened every frame up to and including `seq`. */
export const AckSchema = v.strictObject({ sessionId: SessionIdSchema, epoch, seq });
export type Ack = v.InferOutput<typeof AckSchema>;

export const ProofOfWorkSchema = v.strictObject({
  challenge: v.pipe(v.string(), v.minLength(1), v.maxLength(POW_CHALLENGE_CHARS)),
  nonce: bytesSchema(POW_NONCE_BYTES, POW_NONCE_BYTES),
});
export type ProofOfWork = v.InferOutput<typeof ProofOfWorkSchema>;

// ---- survivor namespace: client -> relay ----

export const JoinSchema = v.strictObject({
  version: v.literal(PROTOCOL_VERSION),
  pow: ProofOfWorkSchema,
  survivorKey: PublicKeySchema,
  language: LanguageSchema,
  partner: PartnerIdSchema,
});
export type Join = v.InferOutput<typeof JoinSchema>;

export const ResumeSchema = v.strictObject({
  version: v.literal(PROTOCOL_VERSION),
  sessionId: SessionIdSchema,
  resumeToken: ResumeTokenSchema,
});
export type Resume = v.InferOutput<typeof ResumeSchema>;

/** The survivor's fresh ephemeral key for the handshake with a receiving counselor. */
export const TransferKeySchema = v.strictObject({ sessionId: SessionIdSchema, survivorKey: PublicKeySchema });
export type TransferKey = v.InferOutput<typeof TransferKeySchema>;

export const SurvivorLeaveSchema = v.strictObject({
  sessionId: SessionIdSchema,
  reason: v.picklist(["ended", "quick-exit", "wiped"]),
});
export type SurvivorLeave = v.InferOutput<typeof SurvivorLeaveSchema>;

/** Keep-alive of a waiting survivor's frame (every WAITING_KEEPALIVE_MS): holds the queue place. */
export const StillWaitingSchema = v.strictObject({ sessionId: SessionIdSchema });
export type StillWaiting = v.InferOutput<typeof StillWaitingSchema>;

// ---- staff namespace: client -> relay ----

/**
 * The staff socket's handshake `auth`: which console page (desk) this is, and whether it is the
 * page's first connection (`fresh`: it holds no chat keys yet) or a reconnection. One desk per
 * staff member: a fresh desk takes that member's chats over (each with a fresh handshake), and
 * every other desk is told `replaced` and let go. Absent: an older client, treated as before.
 */
export const StaffHelloSchema = v.object({ desk: DeskIdSchema, fresh: v.boolean() });
export type StaffHello = v.InferOutput<typeof StaffHelloSchema>;

export const StaffStatusSchema = v.picklist(["available", "away", "break"]);
export type StaffStatus = v.InferOutput<typeof StaffStatusSchema>;

export const SetStatusSchema = v.strictObject({ status: StaffStatusSchema });
export type SetStatus = v.InferOutput<typeof SetStatusSchema>;

/** Take a waiting chat: a specific one, or the longest-waiting one the counselor may serve. */
export const TakeSchema = v.strictObject({ sessionId: v.optional(SessionIdSchema) });
export type Take = v.InferOutput<typeof TakeSchema>;

/**
 * Supervisors and admins: end every waiting chat whose frame has not sent a single keep-alive
 * (`waiting`) although it waited longer than the keep-alive interval: joins that never spoke.
 */
export const ClearSilentSchema = v.strictObject({});
export type ClearSilent = v.InferOutput<typeof ClearSilentSchema>;

/** The counselor's signed handshake (PROTOCOL.md "Handshake"), forwarded to the survivor as is. */
export const AcceptSchema = v.strictObject({
  sessionId: SessionIdSchema,
  epoch,
  handshake: bytesSchema(1, MAX_HANDSHAKE_BYTES),
});
export type Accept = v.InferOutput<typeof AcceptSchema>;

/** Hand a chat to another counselor, with a note sealed to that counselor's key. */
export const TransferSchema = v.strictObject({
  sessionId: SessionIdSchema,
  to: StaffIdSchema,
  note: v.optional(bytesSchema(1, MAX_HANDOVER_BYTES)),
});
export type Transfer = v.InferOutput<typeof TransferSchema>;

/**
 * After `handover-failed`: the sender takes the chat back (a fresh handshake with them) or puts
 * it in the queue. Only the sender of the failed handover may decide.
 */
export const ReclaimSchema = v.strictObject({ sessionId: SessionIdSchema, to: v.picklist(["me", "queue"]) });
export type Reclaim = v.InferOutput<typeof ReclaimSchema>;

export const StaffLeaveSchema = v.strictObject({ sessionId: SessionIdSchema, reason: v.picklist(["ended"]) });
export type StaffLeave = v.InferOutput<typeof StaffLeaveSchema>;

// ---- relay -> survivor ----

export type Queued = Readonly<{
  sessionId: v.InferOutput<typeof SessionIdSchema>;
  resumeToken: v.InferOutput<typeof ResumeTokenSchema>;
  position: number;
  estimatedWaitSeconds: number;
  /** Whether any counselor is signed in, certified and Available right now (see `QueuePosition`). */
  counselorAvailable: boolean;
}>;

/**
 * `counselorAvailable: false` means nobody could take the chat now (everyone away, on a break or
 * signed out): the estimate is then not a promise, and the survivor is told so.
 */
export type QueuePosition = Readonly<{
  sessionId: v.InferOutput<typeof SessionIdSchema>;
  position: number;
  estimatedWaitSeconds: number;
  counselorAvailable: boolean;
}>;

/** A counselor accepted (or, after a transfer, a new counselor joined): verify and derive keys. */
export type Accepted = Readonly<{
  sessionId: v.InferOutput<typeof SessionIdSchema>;
  epoch: number;
  handshake: Uint8Array;
}>;

/** The current counselor is handing over: the survivor answers with a fresh `transfer-key`. */
export type Transferring = Readonly<{ sessionId: v.InferOutput<typeof SessionIdSchema>; epoch: number }>;

/**
 * `expired`: the survivor was gone past the grace period, or (while waiting) its frame stopped
 * sending `waiting`; `helpline-closed`: opening hours ended while the survivor was still waiting.
 */
export const SURVIVOR_END_REASONS = [
  "counselor-ended",
  "idle",
  "server-shutdown",
  "transfer-failed",
  "expired",
  "helpline-closed",
] as const;
export type SurvivorEnded = Readonly<{
  sessionId: v.InferOutput<typeof SessionIdSchema>;
  reason: (typeof SURVIVOR_END_REASONS)[number];
}>;

/** Sent once on connect to the survivor namespace: what the next `join` must prove. */
export type Challenge = Readonly<{ challenge: string; difficulty: number; expiresAt: number }>;

// ---- relay -> staff ----

export type QueueEntry = Readonly<{
  sessionId: v.InferOutput<typeof SessionIdSchema>;
  language: Language;
  partner: v.InferOutput<typeof PartnerIdSchema>;
  waitingSeconds: number;
  /** Set when the chat is waiting for a counselor because it was handed over. */
  transferFrom?: v.InferOutput<typeof StaffIdSchema>;
}>;

export type QueueSnapshot = Readonly<{ entries: readonly QueueEntry[] }>;

/** A chat assigned to this counselor (taken, auto-assigned or transferred to them). */
export type Assigned = Readonly<{
  sessionId: v.InferOutput<typeof SessionIdSchema>;
  epoch: number;
  survivorKey: Uint8Array;
  language: Language;
  partner: v.InferOutput<typeof PartnerIdSchema>;
  waitedSeconds: number;
  transfer?: Readonly<{ from: v.InferOutput<typeof StaffIdSchema>; fromName: string; note?: Uint8Array }>;
}>;

export const STAFF_END_REASONS = [
  "visitor-left",
  "quick-exit",
  "idle",
  "expired",
  "transferred",
  "server-shutdown",
  "helpline-closed",
] as const;
export type StaffEnded = Readonly<{
  sessionId: v.InferOutput<typeof SessionIdSchema>;
  reason: (typeof STAFF_END_REASONS)[number];
  /**
   * The one-time token `POST /api/wrapups` needs for this chat. Absent for `transferred` (the
   * colleague who ends the chat files it) and `server-shutdown` (the relay's memory is going).
   */
  wrapup?: v.InferOutput<typeof WrapupTokenSchema>;
}>;

/**
 * A handover this counselor started did not reach the colleague (they went offline, away, on a
 * break or filled up before the chat arrived). The chat waits for `reclaim`.
 */
export type HandoverFailed = Readonly<{
  sessionId: v.InferOutput<typeof SessionIdSchema>;
  reason: TransferRefusal;
}>;

/** Supervisor view: status and load per counselor, never content. */
export type CounselorLoad = Readonly<{
  id: v.InferOutput<typeof StaffIdSchema>;
  displayName: string;
  status: StaffStatus | "offline";
  chats: number;
  limit: number;
  /** Languages they counsel in: a waiting chat is routed only to a counselor who speaks it. */
  languages: readonly Language[];
}>;
export type LoadSnapshot = Readonly<{
  counselors: readonly CounselorLoad[];
  waiting: number;
  longestWaitSeconds: number;
}>;

export const DisplayNameSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_DISPLAY_NAME_CHARS));

export { seconds as SecondsSchema };
