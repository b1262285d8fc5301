import * as v from "valibot";
import {
  SealedOrgKeySchema,
  AuthKeySchema,
  CertificateSchema,
  ChatLimitSchema,
  Ed25519PublicKeySchema,
  RoleSchema,
  SaltSchema,
  StaffDisplayNameSchema,
  StaffIdSchema,
  UsernameSchema,
  WrappedKeySchema,
} from "./common.ts";

// ---- first-run setup ----

/** `GET /api/setup` */
export const SetupStatusSchema = v.strictObject({ needed: v.boolean() });
export type SetupStatus = v.InferOutput<typeof SetupStatusSchema>;

/**
 * `POST /api/setup`: the org public key and the first admin, all made in the admin's browser.
 * Refused with 409 `already-set-up` once done. The answer (201) is a logged-in session
 * (`SessionInfo`, cookie set) for the new admin, whose staff id the server assigns; the console
 * then signs the admin's own certificate with the org key it still holds and sends it to
 * `POST /api/admin/staff/:id/certificate` like any other certification.
 */
export const SetupRequestSchema = v.strictObject({
  /** The one-time code the server printed at first start (`<dataDir>/setup-code`). */
  setupCode: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  orgPublicKey: Ed25519PublicKeySchema,
  admin: v.strictObject({
    username: UsernameSchema,
    displayName: StaffDisplayNameSchema,
    salt: SaltSchema,
    authKey: AuthKeySchema,
    identityPublicKey: Ed25519PublicKeySchema,
    wrappedIdentityKey: WrappedKeySchema,
    /** The org private key wrapped under this admin's password-derived wrapping key. */
    wrappedOrgKey: WrappedKeySchema,
  }),
});
export type SetupRequest = v.InferInput<typeof SetupRequestSchema>;

// ---- login ----

/** `POST /api/auth/salt`: always answers (a stable fake salt for unknown usernames). */
export const SaltRequestSchema = v.strictObject({ username: UsernameSchema });
export type SaltRequest = v.InferInput<typeof SaltRequestSchema>;
export const SaltResponseSchema = v.strictObject({ salt: SaltSchema });
export type SaltResponse = v.InferOutput<typeof SaltResponseSchema>;

/** `POST /api/auth/login`: sets the HttpOnly session cookie. */
export const LoginRequestSchema = v.strictObject({ username: UsernameSchema, authKey: AuthKeySchema });
export type LoginRequest = v.InferInput<typeof LoginRequestSchema>;

export const StaffProfileSchema = v.strictObject({
  id: StaffIdSchema,
  username: UsernameSchema,
  displayName: StaffDisplayNameSchema,
  role: RoleSchema,
  /** This counselor's simultaneous-chat limit (their own, or the helpline default). */
  chatLimit: ChatLimitSchema,
  /** True when a certificate is stored and the key is not revoked: needed to take chats. */
  certified: v.boolean(),
});
export type StaffProfile = v.InferOutput<typeof StaffProfileSchema>;

/**
 * Answer to `POST /api/auth/login` and `GET /api/auth/me`: everything the console needs to
 * unlock its keys locally. `csrfToken` goes into the `X-CSRF-Token` header of every mutating
 * request for this session.
 */
export const SessionInfoSchema = v.strictObject({
  csrfToken: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  staff: StaffProfileSchema,
  /** Unix ms when the session expires unless renewed by use. */
  expiresAt: v.number(),
  keys: v.strictObject({
    identityPublicKey: Ed25519PublicKeySchema,
    wrappedIdentityKey: WrappedKeySchema,
    /** Null while the account waits for an admin to certify it. */
    certificate: v.nullable(CertificateSchema),
    orgPublicKey: Ed25519PublicKeySchema,
    /** Admins only: the org private key wrapped under this admin's wrapping key. */
    wrappedOrgKey: v.nullable(WrappedKeySchema),
    /**
     * Admins without a wrapped copy only: the org key another admin sealed to this identity key.
     * The console opens it, wraps it under its own wrapping key and sends `PUT /api/auth/org-key`.
     */
    pendingOrgKey: v.optional(v.nullable(SealedOrgKeySchema)),
  }),
});
export type SessionInfo = v.InferOutput<typeof SessionInfoSchema>;

// ---- enrollment (after an admin's invite) ----

/**
 * `POST /api/enroll` (no session): the invited member's browser sends its password-derived
 * values and the identity key it made. The account then waits for certification.
 */
export const EnrollRequestSchema = v.strictObject({
  username: UsernameSchema,
  inviteCode: v.pipe(v.string(), v.minLength(8), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/)),
  salt: SaltSchema,
  authKey: AuthKeySchema,
  identityPublicKey: Ed25519PublicKeySchema,
  wrappedIdentityKey: WrappedKeySchema,
});
export type EnrollRequest = v.InferInput<typeof EnrollRequestSchema>;
export const EnrollResponseSchema = v.strictObject({ staffId: StaffIdSchema });
export type EnrollResponse = v.InferOutput<typeof EnrollResponseSchema>;

// ---- password change ----

/**
 * `POST /api/auth/password` (logged in) → SessionInfo (a fresh session and CSRF token). Re-proves the current password (a stolen session
 * alone cannot change it), keeps the identity key pair and re-wraps it; admins must also send
 * the org key re-wrapped under the new wrapping key. Other sessions of this account end.
 */
export const PasswordChangeRequestSchema = v.strictObject({
  currentAuthKey: AuthKeySchema,
  salt: SaltSchema,
  authKey: AuthKeySchema,
  wrappedIdentityKey: WrappedKeySchema,
  wrappedOrgKey: v.optional(WrappedKeySchema),
});
export type PasswordChangeRequest = v.InferInput<typeof PasswordChangeRequestSchema>;

// ---- org key handed over by another admin ----

/**
 * `PUT /api/auth/org-key` (admin) → SessionInfo: replaces the sealed copy from `pendingOrgKey`
 * with this admin's own wrapped copy (purpose `org`); the sealed copy is deleted.
 */
export const OrgKeyCopyRequestSchema = v.strictObject({ wrappedOrgKey: WrappedKeySchema });
export type OrgKeyCopyRequest = v.InferInput<typeof OrgKeyCopyRequestSchema>;
