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
  "evidence-save",
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

/**
 * `POST /api/evidence-saves`: a counselor confirmed "Save as evidence" on an image. The body is
 * empty on purpose: the audit line says who saved an image and when, and nothing else (no image,
 * no digest of one, no chat or session id), so the log cannot tie the save to a survivor.
 */
export const EvidenceSaveRequestSchema = v.strictObject({});
/** A strict empty object is `{}`: anything longer carries something the server must not take. */
export const MAX_EVIDENCE_SAVE_BODY_BYTES = 16;
