import * as v from "valibot";
import { LanguageSchema } from "../envelopes.ts";
import { LANGUAGES } from "../limits.ts";
import {
  SealedOrgKeySchema,
  CertificateSchema,
  ChatLimitSchema,
  Ed25519PublicKeySchema,
  MAX_REVOCATION_LIST_BYTES,
  RoleSchema,
  StaffDisplayNameSchema,
  StaffIdSchema,
  TimestampSchema,
  UsernameSchema,
  base64urlSchema,
} from "./common.ts";

/** At least one language, each once: chats in these languages are routed to the member. */
export const StaffLanguagesSchema = v.pipe(
  v.array(LanguageSchema),
  v.minLength(1),
  v.maxLength(LANGUAGES.length),
  v.check((a) => new Set(a).size === a.length, "duplicate"),
);

/** `POST /api/admin/staff`: invite a member. */
export const InviteRequestSchema = v.strictObject({
  username: UsernameSchema,
  displayName: StaffDisplayNameSchema,
  role: RoleSchema,
});
export type InviteRequest = v.InferInput<typeof InviteRequestSchema>;

/** 201 answer: the one-time code is shown once (the server keeps only its hash). */
export const InviteResponseSchema = v.strictObject({
  staffId: StaffIdSchema,
  inviteCode: v.string(),
  expiresAt: TimestampSchema,
});
export type InviteResponse = v.InferOutput<typeof InviteResponseSchema>;

/**
 * Where an account stands: invited (code not used yet), enrolled (waiting for an admin to certify
 * its key), certified, or revoked (its key is on the revocation list).
 */
export const STAFF_STATES = ["invited", "enrolled", "certified", "revoked"] as const;
export const StaffStateSchema = v.picklist(STAFF_STATES);
export type StaffState = v.InferOutput<typeof StaffStateSchema>;

export const StaffSummarySchema = v.strictObject({
  id: StaffIdSchema,
  username: UsernameSchema,
  displayName: StaffDisplayNameSchema,
  role: RoleSchema,
  state: StaffStateSchema,
  disabled: v.boolean(),
  /** Null: the helpline default applies. */
  chatLimit: v.nullable(ChatLimitSchema),
  /** Languages the member counsels in; null: every language (the default). */
  languages: v.nullable(StaffLanguagesSchema),
  identityPublicKey: v.nullable(Ed25519PublicKeySchema),
  certificate: v.nullable(CertificateSchema),
  createdAt: TimestampSchema,
  /**
   * Admins in `GET /api/admin/staff` only: `held` (own wrapped copy of the org key) or `pending`
   * (a shared copy waiting for the next login). Absent: no copy, or not reported on this answer.
   */
  orgKey: v.optional(v.picklist(["held", "pending"])),
});
export type StaffSummary = v.InferOutput<typeof StaffSummarySchema>;

/** `GET /api/admin/staff` */
export const StaffListSchema = v.strictObject({ staff: v.array(StaffSummarySchema) });
export type StaffList = v.InferOutput<typeof StaffListSchema>;

/** `PATCH /api/admin/staff/:id` → StaffSummary. Disabling cuts the member's sockets off at once. */
export const StaffUpdateSchema = v.strictObject({
  role: v.optional(RoleSchema),
  disabled: v.optional(v.boolean()),
  displayName: v.optional(StaffDisplayNameSchema),
  /** Null resets to the helpline default. */
  chatLimit: v.optional(v.nullable(ChatLimitSchema)),
  /** Null resets to every language. Applies from the member's next connection. */
  languages: v.optional(v.nullable(StaffLanguagesSchema)),
});
export type StaffUpdate = v.InferInput<typeof StaffUpdateSchema>;

/**
 * `POST /api/admin/staff/:id/certificate` → StaffSummary. Checked against the org key and the
 * account's stored id, role, display name and identity key.
 */
export const CertifyRequestSchema = v.strictObject({ certificate: CertificateSchema });
export type CertifyRequest = v.InferInput<typeof CertifyRequestSchema>;

/**
 * `POST /api/admin/staff/:id/org-key` → 204: an admin who holds the org key deposits it sealed
 * to another certified, enabled admin's identity key (`sealOrgKey`). The server cannot open it.
 */
export const OrgKeyShareRequestSchema = v.strictObject({ sealed: SealedOrgKeySchema });
export type OrgKeyShareRequest = v.InferInput<typeof OrgKeyShareRequestSchema>;

/**
 * `POST /api/admin/revocations` → 204: a revocation list signed with the org key
 * (shared/protocol/certificate.ts). Staff whose keys it lists are cut off at once.
 * `GET /api/revocations` (public, CORS) → `{ list }`, null before any list exists.
 */
export const RevocationListSchema = base64urlSchema(1, MAX_REVOCATION_LIST_BYTES);
export const RevocationsRequestSchema = v.strictObject({ list: RevocationListSchema });
export type RevocationsRequest = v.InferInput<typeof RevocationsRequestSchema>;
export const RevocationsResponseSchema = v.strictObject({ list: v.nullable(RevocationListSchema) });
export type RevocationsResponse = v.InferOutput<typeof RevocationsResponseSchema>;

/**
 * `GET /api/staff/directory` (any logged-in staff): certified colleagues, for transfers (the
 * handover note is sealed to the receiving counselor's key) and supervisors' load view.
 */
export const DirectoryEntrySchema = v.strictObject({
  id: StaffIdSchema,
  displayName: StaffDisplayNameSchema,
  role: RoleSchema,
  identityPublicKey: Ed25519PublicKeySchema,
  certificate: CertificateSchema,
});
export type DirectoryEntry = v.InferOutput<typeof DirectoryEntrySchema>;
export const DirectorySchema = v.strictObject({ staff: v.array(DirectoryEntrySchema) });
export type Directory = v.InferOutput<typeof DirectorySchema>;
