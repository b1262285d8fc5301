import * as v from "valibot";
import { AckSchema, FrameSchema } from "../../../shared/protocol/envelopes.ts";
import { SURVIVOR_END_REASONS } from "../../../shared/protocol/envelopes.ts";
import { RELAY_ERROR_CODES } from "../../../shared/protocol/errors.ts";
import { ResumeTokenSchema, SessionIdSchema } from "../../../shared/protocol/ids.ts";
import { bytesSchema } from "../../../shared/protocol/bytes-schema.ts";
import {
  MAX_EPOCH,
  MAX_HANDSHAKE_BYTES,
  MAX_SEQUENCE,
  POW_CHALLENGE_CHARS,
} from "../../../shared/protocol/limits.ts";

/**
 * Schemas for what the relay sends the survivor. The relay is not trusted with content, and
 * not trusted to send well-formed data either: every event is parsed here before the frame
 * acts on it; a malformed one is dropped.
 */
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
const epoch = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_EPOCH));
const ErrorCodeSchema = v.picklist(RELAY_ERROR_CODES);

export const ChallengeSchema = v.object({
  challenge: v.pipe(v.string(), v.minLength(1), v.maxLength(POW_CHALLENGE_CHARS)),
  difficulty: count,
  expiresAt: v.number(),
});
export const QueuedReplySchema = v.variant("ok", [
  v.object({
    ok: v.literal(true),
    sessionId: SessionIdSchema,
    resumeToken: ResumeTokenSchema,
    position: count,
    estimatedWaitSeconds: count,
    counselorAvailable: v.boolean(),
  }),
  v.object({ ok: v.literal(false), error: ErrorCodeSchema }),
]);
export const ResumeReplySchema = v.variant("ok", [
  v.object({ ok: v.literal(true), epoch, resumeToken: ResumeTokenSchema }),
  v.object({ ok: v.literal(false), error: ErrorCodeSchema }),
]);
export const PlainReplySchema = v.variant("ok", [
  v.object({ ok: v.literal(true) }),
  v.object({ ok: v.literal(false), error: ErrorCodeSchema }),
]);
export const PositionSchema = v.object({
  sessionId: SessionIdSchema,
  position: count,
  estimatedWaitSeconds: count,
  counselorAvailable: v.boolean(),
});
export const AcceptedSchema = v.object({
  sessionId: SessionIdSchema,
  epoch,
  handshake: bytesSchema(1, MAX_HANDSHAKE_BYTES),
});
export const TransferringSchema = v.object({ sessionId: SessionIdSchema, epoch });
export const EndedSchema = v.object({ sessionId: SessionIdSchema, reason: v.picklist(SURVIVOR_END_REASONS) });
export const RelayErrorSchema = v.object({
  code: ErrorCodeSchema,
  sessionId: v.optional(SessionIdSchema),
  seq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEQUENCE))),
});

export const PeerSchema = v.object({ sessionId: SessionIdSchema, connected: v.boolean() });

export const INCOMING = {
  peer: PeerSchema,
  challenge: ChallengeSchema,
  position: PositionSchema,
  accepted: AcceptedSchema,
  transferring: TransferringSchema,
  frame: FrameSchema,
  ack: AckSchema,
  ended: EndedSchema,
  error: RelayErrorSchema,
} as const;

export type Incoming = { [E in keyof typeof INCOMING]: v.InferOutput<(typeof INCOMING)[E]> };
