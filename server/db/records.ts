import type { Language, PartnerId, StaffId } from "../../shared/protocol/index.ts";
import type { StaffRole } from "../relay/deps.ts";
import type { WeeklySchedule } from "../hours/schedule.ts";

/**
 * What the repositories hand out. Keys, salts, hashes and certificates are opaque base64url (or
 * algorithm-tagged) strings: the HTTP layer produces and checks them, storage only keeps them.
 */

/** A calendar day, YYYY-MM-DD, in the helpline's time zone. */
export type Day = string;

export type StaffStatus = "pending" | "active";

export type StaffRecord = Readonly<{
  id: StaffId;
  /** Case-folded (see `foldUsername`). */
  username: string;
  displayName: string;
  role: StaffRole;
  /** `pending` from invitation until the member enrolls (sets a password and an identity key). */
  status: StaffStatus;
  /** 16 random bytes, base64url; null while pending. */
  salt: string | null;
  /** Memory-hard hash of the authentication key with its parameters (made by the HTTP layer). */
  authHash: string | null;
  wrappedIdentityKey: string | null;
  identityPublicKey: string | null;
  /** Signed by the org key; null until an admin certifies the account. */
  certificate: string | null;
  certifiedAt: number | null;
  /** Null means "use the default chat limit setting". */
  chatLimit: number | null;
  /** Languages this member counsels in; null means every language (the default). */
  languages: readonly Language[] | null;
  disabled: boolean;
  inviteExpiresAt: number | null;
  createdAt: number;
}>;

/** An active account created directly (the first admin at setup). */
export type NewStaff = Readonly<{
  username: string;
  displayName: string;
  role: StaffRole;
  salt: string;
  authHash: string;
  wrappedIdentityKey: string;
  identityPublicKey: string;
  now: number;
}>;

export type StaffInvite = Readonly<{
  username: string;
  displayName: string;
  role: StaffRole;
  /** Hash of the one-time code (the code itself is shown once to the admin, never stored). */
  inviteCodeHash: string;
  inviteExpiresAt: number;
  now: number;
}>;

export type StaffCredentials = Readonly<{
  salt: string;
  authHash: string;
  wrappedIdentityKey: string;
  identityPublicKey: string;
}>;

/** A password change keeps the identity key pair; only its wrapping changes. */
export type StaffPasswordChange = Readonly<{ salt: string; authHash: string; wrappedIdentityKey: string }>;

export type OrgRecord = Readonly<{ publicKey: string; createdAt: number }>;

export type RevocationList = Readonly<{
  /** The signed list exactly as the admin's browser produced it (base64url). */
  list: string;
  issuedAt: number;
  /** Every identity public key revoked so far (base64url), sorted. */
  revokedKeys: readonly string[];
}>;

export type PartnerRecord = Readonly<{
  id: PartnerId;
  name: string;
  allowedOrigins: readonly string[];
  exitUrl: string;
  defaultLanguage: Language;
  enabled: boolean;
  createdAt: number;
}>;

export type NewPartner = Readonly<{
  id: PartnerId;
  name: string;
  allowedOrigins: readonly string[];
  exitUrl: string;
  defaultLanguage: Language;
  enabled: boolean;
  now: number;
}>;

export type PartnerPatch = Readonly<{
  name?: string;
  allowedOrigins?: readonly string[];
  exitUrl?: string;
  defaultLanguage?: Language;
  enabled?: boolean;
}>;

export type Settings = Readonly<{
  timeZone: string;
  defaultChatLimit: number;
  schedule: WeeklySchedule;
}>;

export type SettingsPatch = Readonly<{
  timeZone?: string;
  defaultChatLimit?: number;
  schedule?: WeeklySchedule;
}>;

export type CannedResponse = Readonly<{
  id: string;
  language: Language;
  title: string;
  body: string;
  tags: readonly string[];
  createdAt: number;
}>;

export type NewCannedResponse = Readonly<{
  language: Language;
  title: string;
  body: string;
  tags: readonly string[];
  now: number;
}>;

export type CannedResponsePatch = Readonly<{
  language?: Language;
  title?: string;
  body?: string;
  tags?: readonly string[];
}>;

export const REFERRAL_CATEGORIES = [
  "law-enforcement",
  "legal-aid",
  "psychological",
  "digital-security",
  "other",
] as const;
export type ReferralCategory = (typeof REFERRAL_CATEGORIES)[number];

export type Referral = Readonly<{
  id: string;
  name: string;
  category: ReferralCategory;
  description: string;
  contact: string;
  howToPrepare: string;
  language: Language;
  /** True for seeded entries until an admin has checked the numbers (cleared by any update). */
  needsVerification: boolean;
  createdAt: number;
}>;

export type NewReferral = Readonly<{
  name: string;
  category: ReferralCategory;
  description: string;
  contact: string;
  howToPrepare: string;
  language: Language;
  now: number;
}>;

export type ReferralPatch = Readonly<{
  name?: string;
  category?: ReferralCategory;
  description?: string;
  contact?: string;
  howToPrepare?: string;
  language?: Language;
  needsVerification?: boolean;
}>;
