import * as v from "valibot";
import { StaffIdSchema, TimestampSchema } from "./common.ts";

/** Staff actions recorded in the audit log (the server's storage uses this list too; never content). */
export const AUDIT_ACTIONS = [
  "org-setup",
  "login",
  "logout",
  "login-locked",
  "staff-invite",
  "staff-invite-renew",
  "staff-enroll",
  "staff-role",
  "staff-disable",
  "staff-enable",
  "staff-certify",
  "staff-revoke",
  "staff-chat-limit",
  "staff-languages",
  "staff-password",
  "staff-remove",
  "org-key-copy",
  "partner-create",
  "partner-update",
  "partner-remove",
  "settings-update",
  "holiday-put",
  "holiday-remove",
  "canned-create",
  "canned-update",
  "canned-remove",
  "referral-create",
  "referral-update",
  "referral-remove",
  "stats-export",
  "stats-purge",
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
