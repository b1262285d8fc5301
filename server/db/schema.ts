/**
 * The tables as Kysely sees them. Portable across SQLite and PostgreSQL by keeping to four
 * column kinds:
 * - timestamps: integer milliseconds since the epoch (`bigint`; pg's int8 parser returns numbers);
 * - booleans: integer 0/1 (SQLite has no boolean type);
 * - keys, signatures, certificates: base64url text (no blob/bytea differences to handle);
 * - lists and objects: JSON text.
 *
 * There is no table about survivors or chat sessions, by design: see ARCHITECTURE.md "Storage".
 */

/** 0 or 1. */
export type Flag = number;

export type OrgTable = {
  /** Always 1: the table holds a single row (a CHECK constraint enforces it). */
  id: number;
  public_key: string;
  created_at: number;
};

export type OrgKeyCopyTable = {
  staff_id: string;
  wrapped_key: string;
  created_at: number;
};

export type StaffTable = {
  id: string;
  /** Case-folded (NFKC + lower case) so that "Ayesha" and "ayesha" are one account. */
  username: string;
  display_name: string;
  role: string;
  status: string;
  salt: string | null;
  auth_hash: string | null;
  wrapped_identity_key: string | null;
  identity_public_key: string | null;
  certificate: string | null;
  certified_at: number | null;
  chat_limit: number | null;
  /** JSON array of language codes; null means every language. */
  languages: string | null;
  disabled: Flag;
  invite_code_hash: string | null;
  invite_expires_at: number | null;
  created_at: number;
};

export type RevocationListTable = {
  id: number;
  list: string;
  issued_at: number;
  stored_at: number;
};

export type RevokedKeyTable = {
  public_key: string;
  revoked_at: number;
};

export type PartnerTable = {
  id: string;
  name: string;
  /** JSON array of origins (scheme://host[:port]). */
  allowed_origins: string;
  exit_url: string;
  default_language: string;
  enabled: Flag;
  created_at: number;
};

export type SettingTable = {
  key: string;
  /** JSON text. */
  value: string;
};

export type HolidayTable = {
  /** YYYY-MM-DD in the helpline's time zone. */
  date: string;
  label: string;
};

export type CannedResponseTable = {
  id: string;
  language: string;
  title: string;
  body: string;
  /** JSON array of strings. */
  tags: string;
  created_at: number;
};

export type ReferralTable = {
  id: string;
  name: string;
  category: string;
  description: string;
  contact: string;
  how_to_prepare: string;
  language: string;
  /** Set by the seed: an admin must check the number before go-live, then clears it. */
  needs_verification: Flag;
  created_at: number;
};

export type WrapupTable = {
  /** Random, so that the primary-key order (and SQLite's WITHOUT ROWID layout) says nothing about time. */
  id: string;
  day: string;
  weekday: number;
  hour: number;
  partner: string;
  language: string;
  platform: string;
  /** The first of `harassment_types` (kept for the column's NOT NULL from the first schema). */
  harassment_type: string;
  /** JSON array of harassment types (one or more). */
  harassment_types: string | null;
  /** JSON array of outcomes (advice, referrals made, help given). */
  outcomes: string | null;
  /** "Follow-up advised": counted, never linked to anyone. */
  follow_up: Flag;
  caller_type: string;
  region: string | null;
  gender: string | null;
  /** JSON array of referral categories. */
  referrals: string;
  difficult: Flag;
  duration_bucket: string;
};

export type AuditLogTable = {
  /** Random; entries are ordered by `at`. */
  id: string;
  at: number;
  actor: string | null;
  action: string;
  target: string | null;
};

/** Service figures per helpline-local day and hour: counts only (migration 0003). */
export type ServiceHourTable = {
  /** YYYY-MM-DD in the helpline's time zone. */
  day: string;
  hour: number;
  offered: number;
  answered: number;
  abandoned: number;
  quick_exit: number;
  refused_closed: number;
  refused_full: number;
};

/** Waits per day as a histogram over WAIT_BUCKETS (shared/stats/service-level.ts). */
export type ServiceWaitTable = {
  day: string;
  outcome: "answered" | "abandoned";
  bucket: string;
  n: number;
};

export type Database = {
  org: OrgTable;
  org_key_copies: OrgKeyCopyTable;
  staff: StaffTable;
  revocation_list: RevocationListTable;
  revoked_keys: RevokedKeyTable;
  partners: PartnerTable;
  settings: SettingTable;
  holidays: HolidayTable;
  canned_responses: CannedResponseTable;
  referrals: ReferralTable;
  wrapups: WrapupTable;
  audit_log: AuditLogTable;
  service_hours: ServiceHourTable;
  service_waits: ServiceWaitTable;
};
