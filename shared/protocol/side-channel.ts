import * as v from "valibot";
import { bytesSchema } from "./bytes-schema.ts";
import { MAX_CERTIFICATE_BYTES } from "./certificate.ts";
import type { ReplyFn } from "./events.ts";
import { SessionIdSchema, StaffIdSchema } from "./ids.ts";
import { MAX_DISPLAY_NAME_CHARS, PADDING_BUCKETS } from "./limits.ts";

/**
 * "Ask a supervisor" (PROTOCOL.md "Side conversation"): a counselor asks, on-duty supervisors
 * see who asked and when (never the chat), one of them opens a private side conversation with
 * that counselor. The relay forwards opaque bytes between the two staff sockets only; it keeps
 * the request in its store (memory, or Redis with an expiry) and drops it when the chat ends,
 * either side ends it, or one of them is gone for good.
 */
export const SIDE_ID_CHARS = 22;
const base64url = /^[A-Za-z0-9_-]+$/;

/** Minted by the relay (16 random bytes, base64url); never derived from the chat's session id. */
export const SideIdSchema = v.pipe(
  v.string(),
  v.length(SIDE_ID_CHARS),
  v.regex(base64url),
  v.brand("SideId"),
);
export type SideId = v.InferOutput<typeof SideIdSchema>;

/** version (1) | kind (1) | ephemeral X25519 key (32) | u16 n | certificate (n) | signature (64) */
export const MAX_SIDE_HELLO_BYTES = 1 + 1 + 32 + 2 + MAX_CERTIFICATE_BYTES + 64;
/** The largest padding bucket plus the AEAD tag. */
export const MAX_SIDE_CIPHERTEXT_BYTES = (PADDING_BUCKETS[PADDING_BUCKETS.length - 1] ?? 4096) + 16;
/** Messages one side may send in one side conversation (the sequence number's bound). */
export const MAX_SIDE_SEQ = 10_000;
/** Open requests and side conversations one staff member may take part in at once. */
export const MAX_SIDE_PER_STAFF = 8;
/** Characters of one side message (UTF-8: Urdu needs two bytes a letter, still within a bucket). */
export const MAX_SIDE_TEXT_CHARS = 1500;

export const SIDE_END_REASONS = [
  /** The other side (or this side, in another tab) ended it. */
  "ended",
  /** The counselor withdrew the request before anyone opened it. */
  "cancelled",
  /** The chat it is about ended or left this counselor. */
  "chat-ended",
  /** The other side's last connection closed and did not come back in time. */
  "gone",
] as const;
export type SideEndReason = (typeof SIDE_END_REASONS)[number];

const seq = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SIDE_SEQ));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const SideAskSchema = v.strictObject({ sessionId: SessionIdSchema });
export const SideRefSchema = v.strictObject({ requestId: SideIdSchema });
export const SideHelloSchema = v.strictObject({
  requestId: SideIdSchema,
  hello: bytesSchema(1, MAX_SIDE_HELLO_BYTES),
});
export const SideMessageSchema = v.strictObject({
  requestId: SideIdSchema,
  seq,
  ciphertext: bytesSchema(17, MAX_SIDE_CIPHERTEXT_BYTES),
});

export const SideRequestSchema = v.object({
  requestId: SideIdSchema,
  counselor: StaffIdSchema,
  counselorName: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_DISPLAY_NAME_CHARS)),
  waitingSeconds: count,
});
export const SideRequestsSchema = v.object({
  requests: v.pipe(v.array(SideRequestSchema), v.maxLength(1000)),
});
export const SideOpenedSchema = v.object({
  requestId: SideIdSchema,
  hello: bytesSchema(1, MAX_SIDE_HELLO_BYTES),
});
export const SideJoinedSchema = SideOpenedSchema;
export const SideEndedSchema = v.object({ requestId: SideIdSchema, reason: v.picklist(SIDE_END_REASONS) });
/** What the relay forwards: the same fields as what the sender sent. */
export const SideForwardSchema = v.object({
  requestId: SideIdSchema,
  seq,
  ciphertext: bytesSchema(17, MAX_SIDE_CIPHERTEXT_BYTES),
});

export type SideAsk = v.InferOutput<typeof SideAskSchema>;
export type SideRef = v.InferOutput<typeof SideRefSchema>;
export type SideHello = v.InferOutput<typeof SideHelloSchema>;
export type SideMessage = v.InferOutput<typeof SideMessageSchema>;
export type SideRequest = v.InferOutput<typeof SideRequestSchema>;
export type SideRequests = v.InferOutput<typeof SideRequestsSchema>;
export type SideEnded = v.InferOutput<typeof SideEndedSchema>;

export interface SideClientToServer {
  /** Counselor: ask on-duty supervisors about this (own, active) chat. */
  "side-ask": (ask: SideAsk, reply: ReplyFn<{ requestId: SideId }>) => void;
  /** Supervisor or admin: open an asked-for conversation with its signed offer. */
  "side-open": (open: SideHello, reply: ReplyFn) => void;
  /** The counselor's signed answer to the offer. */
  "side-join": (join: SideHello, reply: ReplyFn) => void;
  "side-message": (message: SideMessage, reply: ReplyFn) => void;
  /** Either side: cancel the request or end the conversation. */
  "side-end": (end: SideRef, reply: ReplyFn) => void;
}

export interface SideServerToClient {
  /** To supervisors and admins: the requests nobody has opened yet. */
  "side-requests": (requests: SideRequests) => void;
  /** To the counselor: a supervisor's offer. */
  "side-opened": (opened: SideHello) => void;
  /** To the supervisor: the counselor's answer. */
  "side-joined": (joined: SideHello) => void;
  "side-message": (message: SideMessage) => void;
  "side-ended": (ended: SideEnded) => void;
}
