import type { StaffId } from "../../shared/protocol/index.ts";
import type { AuditAction } from "../../shared/protocol/http/audit.ts";

/**
 * Staff actions worth an audit line are listed once, in the HTTP contract the console reads.
 * Targets are staff ids, partner ids or setting names, never anything linked to a survivor; no
 * IP address or user agent is ever recorded.
 */
export { AUDIT_ACTIONS, type AuditAction } from "../../shared/protocol/http/audit.ts";

export type NewAuditEntry = Readonly<{
  at: number;
  /** Null for actions without a logged-in actor (e.g. a lockout). */
  actor: StaffId | null;
  action: AuditAction;
  /** A staff id, partner id, setting name or holiday date; null when there is none. */
  target: string | null;
}>;

export type AuditEntry = NewAuditEntry & Readonly<{ id: string }>;
