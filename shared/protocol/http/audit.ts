import * as v from "valibot";
import { StaffIdSchema, TimestampSchema } from "./common.ts";

/** Admin actions recorded in the audit log (who did what to which record, never content). */
export const AUDIT_ACTIONS = [
  "setup",
  "staff-invite",
  "staff-update",
  "staff-certify",
  "revocations-update",
  "partner-create",
  "partner-update",
  "partner-delete",
  "hours-update",
  "canned-create",
  "canned-update",
  "canned-delete",
  "referral-create",
  "referral-update",
  "referral-delete",
  "settings-update",
  "stats-export",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntrySchema = v.strictObject({
  at: TimestampSchema,
  actor: v.nullable(StaffIdSchema),
  action: v.picklist(AUDIT_ACTIONS),
  target: v.nullable(v.string()),
});
export type AuditEntry = v.InferOutput<typeof AuditEntrySchema>;

/** `GET /api/admin/audit?limit=N` (newest first, N ≤ 500, default 100). */
export const AuditListSchema = v.strictObject({ entries: v.array(AuditEntrySchema) });
export type AuditList = v.InferOutput<typeof AuditListSchema>;
