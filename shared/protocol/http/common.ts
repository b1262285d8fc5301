import * as v from "valibot";
import { MAX_CERTIFICATE_BYTES, SIGNATURE_BYTES } from "../certificate.ts";
import { StaffIdSchema } from "../ids.ts";
import { MAX_DISPLAY_NAME_CHARS } from "../limits.ts";
import { MAX_REVOKED_KEYS } from "../revocation.ts";

/**
 * Building blocks for the JSON bodies of the staff and public HTTP API. Binary values (keys,
 * salts, certificates, wrapped keys) travel as unpadded base64url strings; the schemas bound
 * their length so an oversized value is refused before any handler runs.
 */

const base64url = /^[A-Za-z0-9_-]*$/;

/** Characters of unpadded base64url for `bytes` bytes. */
export function base64urlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/** An unpadded base64url string encoding between `minBytes` and `maxBytes` bytes. */
export function base64urlSchema(minBytes: number, maxBytes: number) {
  return v.pipe(
    v.string(),
    v.regex(base64url),
    v.minLength(base64urlLength(minBytes)),
    v.maxLength(base64urlLength(maxBytes)),
    // Length 4k+1 is never valid base64: it would carry 6 stray bits.
    v.check((s) => s.length % 4 !== 1, "base64url"),
  );
}

/** Argon2id salt (crypto_pwhash_SALTBYTES). */
export const SALT_BYTES = 16;
/** The password-derived authentication key the browser sends (the server stores only a hash). */
export const AUTH_KEY_BYTES = 32;
/** Ed25519 public keys. */
export const ED25519_PUBLIC_KEY_BYTES = 32;
/** A wrapped (secretbox-encrypted) private key: nonce + 64-byte Ed25519 key + tag, with room. */
export const MAX_WRAPPED_KEY_BYTES = 512;
/** A signed revocation list at its largest (shared/protocol/revocation.ts). */
export const MAX_REVOCATION_LIST_BYTES = 21 + 32 + 8 + 4 + MAX_REVOKED_KEYS * 32 + SIGNATURE_BYTES;

export const SaltSchema = base64urlSchema(SALT_BYTES, SALT_BYTES);
export const AuthKeySchema = base64urlSchema(AUTH_KEY_BYTES, AUTH_KEY_BYTES);
export const Ed25519PublicKeySchema = base64urlSchema(ED25519_PUBLIC_KEY_BYTES, ED25519_PUBLIC_KEY_BYTES);
export const WrappedKeySchema = base64urlSchema(1, MAX_WRAPPED_KEY_BYTES);
export const CertificateSchema = base64urlSchema(1, MAX_CERTIFICATE_BYTES);
/**
 * The org private key sealed by one admin to another (PROTOCOL.md "Staff keys"): seal overhead
 * (48) | u16 length (2) | sharer certificate | signature (64) | org secret key (64).
 */
export const SealedOrgKeySchema = base64urlSchema(48 + 2 + 1 + 128, 48 + 2 + MAX_CERTIFICATE_BYTES + 128);

export const ROLES = ["counselor", "supervisor", "admin"] as const;
export const RoleSchema = v.picklist(ROLES);
export type Role = v.InferOutput<typeof RoleSchema>;

/**
 * Usernames: lower-case letters, digits, dot, dash, underscore; 3 to 32 characters. Clients
 * lower-case what the person typed before sending.
 */
export const UsernameSchema = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{2,31}$/));

export const StaffDisplayNameSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(MAX_DISPLAY_NAME_CHARS),
);

/** Simultaneous chats per counselor (admin setting). */
export const ChatLimitSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10));

/** Milliseconds since the epoch (UTC). */
export const TimestampSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

/** A calendar date in the helpline's time zone, `YYYY-MM-DD`. */
export const DateSchema = v.pipe(v.string(), v.isoDate());

/** Short free text fields (names, titles). */
export function textSchema(max: number, min = 1) {
  return v.pipe(v.string(), v.trim(), v.minLength(min), v.maxLength(max));
}

export { StaffIdSchema };
