import * as v from "valibot";
import { bytesSchema } from "../../../shared/protocol/bytes-schema.ts";
import { MAX_REVOCATION_LIST_BYTES } from "../../../shared/protocol/http/common.ts";
import { SessionIdSchema } from "../../../shared/protocol/ids.ts";
import {
  MAX_EPOCH,
  MAX_FRAME_BYTES,
  MAX_HANDSHAKE_BYTES,
  MAX_SEQUENCE,
  POW_CHALLENGE_CHARS,
  POW_NONCE_BYTES,
  PUBLIC_KEY_BYTES,
} from "../../../shared/protocol/limits.ts";
import { PayloadSchema } from "../../../shared/protocol/payloads.ts";

/**
 * Messages between the frame (main thread) and the crypto worker. Keys never cross: the main
 * thread sends payloads and receives ciphertext, public keys, safety codes and opened payloads.
 * Both sides parse what they receive with these schemas; `id` pairs a reply with its request.
 */
const id = v.pipe(v.number(), v.integer(), v.minValue(0));
const epoch = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_EPOCH));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEQUENCE));

export const ToWorkerSchema = v.variant("type", [
  /** The trust anchor from the frame page's meta tag; must come first. */
  v.strictObject({
    type: v.literal("init"),
    id,
    orgPublicKey: bytesSchema(PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES),
  }),
  v.strictObject({
    type: v.literal("solve"),
    id,
    challenge: v.pipe(v.string(), v.maxLength(POW_CHALLENGE_CHARS)),
  }),
  v.strictObject({ type: v.literal("cancel-solve"), id }),
  /**
   * The org's signed revocation list, checked here against the org key; later handshakes refuse
   * a revoked counselor even if the relay forwards their accept.
   */
  v.strictObject({
    type: v.literal("revocations"),
    id,
    list: bytesSchema(1, MAX_REVOCATION_LIST_BYTES),
    nowMs: v.number(),
  }),
  /** A fresh ephemeral key for the next handshake (join, or transfer-key). */
  v.strictObject({ type: v.literal("new-key"), id }),
  v.strictObject({
    type: v.literal("complete"),
    id,
    sessionId: SessionIdSchema,
    epoch,
    handshake: bytesSchema(1, MAX_HANDSHAKE_BYTES),
    nowMs: v.number(),
  }),
  /** `final`: the last frame of this direction (TAG_FINAL), for `end` and `visitor-left`. */
  v.strictObject({ type: v.literal("seal"), id, payload: PayloadSchema, final: v.boolean() }),
  v.strictObject({ type: v.literal("open"), id, epoch, seq, ciphertext: bytesSchema(1, MAX_FRAME_BYTES) }),
  v.strictObject({ type: v.literal("ack"), id, epoch, seq }),
  /** Zero every key now; the main thread terminates the worker after the reply. */
  v.strictObject({ type: v.literal("wipe"), id }),
]);
export type ToWorker = v.InferOutput<typeof ToWorkerSchema>;
export type ToWorkerInput = v.InferInput<typeof ToWorkerSchema>;

export type WorkerErrorCode =
  | "bad-request"
  | "not-ready"
  | "no-handshake"
  | "no-channel"
  | "stale-epoch"
  | "pow-failed"
  | "cancelled"
  | "handshake-failed"
  | "bad-revocations"
  | "seal-failed"
  | "open-failed"
  | "duplicate"
  | "bad-payload";

export const FromWorkerSchema = v.variant("type", [
  v.strictObject({ type: v.literal("done"), id }),
  v.strictObject({ type: v.literal("pow-progress"), id, fraction: v.number() }),
  v.strictObject({ type: v.literal("solved"), id, nonce: bytesSchema(POW_NONCE_BYTES, POW_NONCE_BYTES) }),
  v.strictObject({
    type: v.literal("public-key"),
    id,
    publicKey: bytesSchema(PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES),
  }),
  v.strictObject({
    type: v.literal("channel-ready"),
    id,
    epoch,
    counselorName: v.pipe(v.string(), v.maxLength(200)),
    safetyCode: v.pipe(v.string(), v.maxLength(64)),
  }),
  v.strictObject({ type: v.literal("sealed"), id, epoch, seq, ciphertext: bytesSchema(1, MAX_FRAME_BYTES) }),
  v.strictObject({ type: v.literal("opened"), id, epoch, seq, payload: PayloadSchema, final: v.boolean() }),
  v.strictObject({
    type: v.literal("failed"),
    id,
    code: v.picklist([
      "bad-request",
      "not-ready",
      "no-handshake",
      "no-channel",
      "stale-epoch",
      "pow-failed",
      "cancelled",
      "handshake-failed",
      "bad-revocations",
      "seal-failed",
      "open-failed",
      "duplicate",
      "bad-payload",
    ] satisfies WorkerErrorCode[]),
  }),
]);
export type FromWorker = v.InferOutput<typeof FromWorkerSchema>;
