import * as v from "valibot";
import {
  AckSchema,
  FrameSchema,
  LanguageSchema,
  PartnerIdSchema,
  PublicKeySchema,
  RELAY_ERROR_CODES,
  SessionIdSchema,
  STAFF_END_REASONS,
  StaffIdSchema,
  StaffStatusSchema,
  TRANSFER_REFUSALS,
  WrapupTokenSchema,
} from "../../../shared/protocol/index.ts";
import { bytesSchema } from "../../../shared/protocol/bytes-schema.ts";
import {
  LANGUAGES,
  MAX_DISPLAY_NAME_CHARS,
  MAX_EPOCH,
  MAX_HANDOVER_BYTES,
} from "../../../shared/protocol/limits.ts";

/**
 * Schemas for what the relay sends the console. The relay is not trusted with content, and not
 * trusted to send well-formed metadata either: every event is parsed here before any state sees it.
 */
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const epoch = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_EPOCH));
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_DISPLAY_NAME_CHARS));

export const QueueEntrySchema = v.object({
  sessionId: SessionIdSchema,
  language: LanguageSchema,
  partner: PartnerIdSchema,
  waitingSeconds: count,
  transferFrom: v.optional(StaffIdSchema),
});

export const QueueSnapshotSchema = v.object({
  entries: v.pipe(v.array(QueueEntrySchema), v.maxLength(10_000)),
});

export const AssignedSchema = v.object({
  sessionId: SessionIdSchema,
  epoch,
  survivorKey: PublicKeySchema,
  language: LanguageSchema,
  partner: PartnerIdSchema,
  waitedSeconds: count,
  transfer: v.optional(
    v.object({
      from: StaffIdSchema,
      fromName: name,
      note: v.optional(bytesSchema(1, MAX_HANDOVER_BYTES)),
    }),
  ),
});

export const StaffEndedSchema = v.object({
  sessionId: SessionIdSchema,
  reason: v.picklist(STAFF_END_REASONS),
  wrapup: v.exactOptional(WrapupTokenSchema),
});

export const LoadSnapshotSchema = v.object({
  counselors: v.pipe(
    v.array(
      v.object({
        id: StaffIdSchema,
        displayName: name,
        status: v.union([StaffStatusSchema, v.literal("offline")]),
        chats: count,
        limit: count,
        languages: v.pipe(v.array(LanguageSchema), v.maxLength(LANGUAGES.length)),
      }),
    ),
    v.maxLength(1000),
  ),
  waiting: count,
  longestWaitSeconds: count,
});

export const HandoverFailedSchema = v.object({
  sessionId: SessionIdSchema,
  reason: v.picklist(TRANSFER_REFUSALS),
});

export const PeerStatusSchema = v.object({ sessionId: SessionIdSchema, connected: v.boolean() });

export const RelayErrorSchema = v.object({
  code: v.picklist(RELAY_ERROR_CODES),
  sessionId: v.optional(SessionIdSchema),
  seq: v.optional(count),
});

export const ReplySchema = v.variant("ok", [
  v.object({ ok: v.literal(true) }),
  v.object({ ok: v.literal(false), error: v.picklist(RELAY_ERROR_CODES) }),
]);

export const LeaveReplySchema = v.variant("ok", [
  v.object({ ok: v.literal(true), wrapup: v.exactOptional(WrapupTokenSchema) }),
  v.object({ ok: v.literal(false), error: v.picklist(RELAY_ERROR_CODES) }),
]);

export const TakeReplySchema = v.variant("ok", [
  v.object({ ok: v.literal(true), assigned: AssignedSchema }),
  v.object({ ok: v.literal(false), error: v.picklist(RELAY_ERROR_CODES) }),
]);

export const ClearSilentReplySchema = v.variant("ok", [
  v.object({ ok: v.literal(true), cleared: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  v.object({ ok: v.literal(false), error: v.picklist(RELAY_ERROR_CODES) }),
]);

export { AckSchema, FrameSchema };
