import type { StaffId } from "../../shared/protocol/index.ts";

/**
 * Staff actions worth an audit line. Targets are staff ids, partner ids or setting names, never
 * anything linked to a survivor; no IP address or user agent is ever recorded.
 */
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

export type NewAuditEntry = Readonly<{
  at: number;
  /** Null for actions without a logged-in actor (e.g. a lockout). */
  actor: StaffId | null;
  action: AuditAction;
  /** A staff id, partner id, setting name or holiday date; null when there is none. */
  target: string | null;
}>;

export type AuditEntry = NewAuditEntry & Readonly<{ id: string }>;
