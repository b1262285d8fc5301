import type { Language, PartnerId, StaffId } from "../../shared/protocol/index.ts";
import type { Result } from "../../shared/result.ts";
import type { Holiday, OpeningHours } from "../hours/schedule.ts";
import type { StaffRole } from "../relay/deps.ts";
import type { AuditAction, AuditEntry, NewAuditEntry } from "./audit-types.ts";
import type {
  CannedResponse,
  CannedResponsePatch,
  Day,
  NewCannedResponse,
  NewPartner,
  NewReferral,
  NewStaff,
  OrgRecord,
  PartnerPatch,
  PartnerRecord,
  Referral,
  ReferralPatch,
  RevocationList,
  Settings,
  SettingsPatch,
  StaffCredentials,
  StaffInvite,
  StaffPasswordChange,
  StaffRecord,
} from "./records.ts";
import type { ServiceRepo } from "./service-repo.ts";
import type { CsvRow, DayRange, ExportPeriod, StatsSummary, WrapupInput } from "./stats-types.ts";

/**
 * The storage API the HTTP layer codes against. Every function is async and dialect-neutral.
 * Expected failures come back as Result error codes; a thrown error means the database itself
 * failed (connection, disk) and is the caller's 500.
 */

export type StaffRepo = Readonly<{
  /** Creates an active account (used by setup through `org.setup`, and by tests). */
  create: (input: NewStaff) => Promise<Result<StaffRecord, "username-taken">>;
  invite: (input: StaffInvite) => Promise<Result<StaffRecord, "username-taken">>;
  /** New one-time code for a still-pending account. */
  renewInvite: (
    id: StaffId,
    inviteCodeHash: string,
    inviteExpiresAt: number,
  ) => Promise<Result<StaffRecord, "not-found" | "not-pending">>;
  findByInvite: (inviteCodeHash: string, now: number) => Promise<StaffRecord | null>;
  /** One-time: the invite hash is cleared in the same statement that activates the account. */
  completeEnrollment: (
    inviteCodeHash: string,
    credentials: StaffCredentials,
    now: number,
  ) => Promise<Result<StaffRecord, "invalid-invite">>;
  findById: (id: StaffId) => Promise<StaffRecord | null>;
  /** Folds the username first, so look-ups are case-insensitive. */
  findByUsername: (username: string) => Promise<StaffRecord | null>;
  list: () => Promise<readonly StaffRecord[]>;
  count: () => Promise<number>;
  /** Refuses to leave the helpline without an enabled, active admin. */
  setRole: (id: StaffId, role: StaffRole) => Promise<Result<StaffRecord, "not-found" | "last-admin">>;
  setDisabled: (id: StaffId, disabled: boolean) => Promise<Result<StaffRecord, "not-found" | "last-admin">>;
  setDisplayName: (id: StaffId, displayName: string) => Promise<Result<StaffRecord, "not-found">>;
  setChatLimit: (id: StaffId, chatLimit: number | null) => Promise<Result<StaffRecord, "not-found">>;
  /** Null: every language. */
  setLanguages: (
    id: StaffId,
    languages: readonly Language[] | null,
  ) => Promise<Result<StaffRecord, "not-found">>;
  setCertificate: (
    id: StaffId,
    certificate: string,
    certifiedAt: number,
  ) => Promise<Result<StaffRecord, "not-found" | "not-enrolled">>;
  clearCertificate: (id: StaffId) => Promise<Result<StaffRecord, "not-found">>;
  changePassword: (id: StaffId, change: StaffPasswordChange) => Promise<Result<StaffRecord, "not-found">>;
  /** Deletes the account and its org key copy. */
  remove: (id: StaffId) => Promise<Result<void, "not-found" | "last-admin">>;
}>;

export type OrgSetup = Readonly<{
  publicKey: string;
  admin: Omit<NewStaff, "role" | "now">;
  /** The org private key wrapped under the first admin's wrapping key. */
  wrappedOrgKey: string;
  now: number;
}>;

export type OrgRepo = Readonly<{
  get: () => Promise<OrgRecord | null>;
  /** First-run setup in one transaction: org row, first admin, their org key copy. */
  setup: (
    input: OrgSetup,
  ) => Promise<Result<Readonly<{ org: OrgRecord; admin: StaffRecord }>, "already-set-up" | "username-taken">>;
  putKeyCopy: (staffId: StaffId, wrappedKey: string, now: number) => Promise<Result<void, "not-found">>;
  getKeyCopy: (staffId: StaffId) => Promise<string | null>;
  removeKeyCopy: (staffId: StaffId) => Promise<void>;
}>;

export type RevocationRepo = Readonly<{
  current: () => Promise<RevocationList | null>;
  /**
   * Stores a newer signed list (checked by the caller against the org key). Revoked keys are
   * only ever added: a later list cannot un-revoke a key.
   */
  store: (
    input: Readonly<{ list: string; issuedAt: number; revokedKeys: readonly string[]; now: number }>,
  ) => Promise<Result<RevocationList, "stale-revocation-list">>;
  isRevoked: (identityPublicKey: string) => Promise<boolean>;
}>;

export type PartnerRepo = Readonly<{
  list: () => Promise<readonly PartnerRecord[]>;
  get: (id: PartnerId) => Promise<PartnerRecord | null>;
  create: (input: NewPartner) => Promise<Result<PartnerRecord, "partner-exists">>;
  update: (id: PartnerId, patch: PartnerPatch) => Promise<Result<PartnerRecord, "not-found">>;
  remove: (id: PartnerId) => Promise<Result<void, "not-found">>;
  /** Sorted, de-duplicated origins of enabled partners (for the frame's `frame-ancestors`). */
  allowedOrigins: () => Promise<readonly string[]>;
}>;

export type SettingsRepo = Readonly<{
  /** Stored values over defaults (Asia/Karachi, chat limit 2, 09:00-17:00 daily). */
  get: () => Promise<Settings>;
  update: (patch: SettingsPatch) => Promise<Settings>;
  listHolidays: () => Promise<readonly Holiday[]>;
  /** Insert or replace the holiday on that date. */
  putHoliday: (holiday: Holiday) => Promise<void>;
  removeHoliday: (date: Day) => Promise<Result<void, "not-found">>;
  /** Everything `isOpenAt` / `nextOpening` need, in one call. */
  openingHours: () => Promise<OpeningHours>;
}>;

export type CannedRepo = Readonly<{
  list: (language?: CannedResponse["language"]) => Promise<readonly CannedResponse[]>;
  get: (id: string) => Promise<CannedResponse | null>;
  create: (input: NewCannedResponse) => Promise<CannedResponse>;
  update: (id: string, patch: CannedResponsePatch) => Promise<Result<CannedResponse, "not-found">>;
  remove: (id: string) => Promise<Result<void, "not-found">>;
}>;

export type ReferralRepo = Readonly<{
  list: (language?: Referral["language"]) => Promise<readonly Referral[]>;
  get: (id: string) => Promise<Referral | null>;
  create: (input: NewReferral) => Promise<Referral>;
  /** Any update clears `needsVerification` unless the patch sets it. */
  update: (id: string, patch: ReferralPatch) => Promise<Result<Referral, "not-found">>;
  remove: (id: string) => Promise<Result<void, "not-found">>;
}>;

export type StatsRepo = Readonly<{
  record: (input: WrapupInput) => Promise<void>;
  summary: (range: DayRange) => Promise<StatsSummary>;
  /** Rows with small counts suppressed (rule in shared/stats/suppression.ts and ARCHITECTURE.md). */
  exportRows: (range: DayRange, period: ExportPeriod) => Promise<readonly CsvRow[]>;
  /** The same rows as RFC 4180 CSV text with a header line. */
  exportCsv: (range: DayRange, period: ExportPeriod) => Promise<string>;
  /** Retention: deletes wrap-ups for days before `day`; returns how many. */
  deleteBefore: (day: Day) => Promise<number>;
}>;

export type AuditRepo = Readonly<{
  record: (entry: NewAuditEntry) => Promise<void>;
  /** Newest first; `before` (ms) pages backwards. */
  list: (query: Readonly<{ limit: number; before?: number }>) => Promise<readonly AuditEntry[]>;
  /** Retention: deletes entries older than `at` (ms); returns how many. */
  deleteBefore: (at: number) => Promise<number>;
}>;

export type Repositories = Readonly<{
  staff: StaffRepo;
  org: OrgRepo;
  revocations: RevocationRepo;
  partners: PartnerRepo;
  settings: SettingsRepo;
  canned: CannedRepo;
  referrals: ReferralRepo;
  stats: StatsRepo;
  /** Service figures (offered, answered, abandoned, waits...): counters only. */
  service: ServiceRepo;
  audit: AuditRepo;
}>;

export type { AuditAction, ServiceRepo };
