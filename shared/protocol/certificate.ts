import { err, ok, type Result } from "../result.ts";
import { type StaffId, StaffIdSchema } from "./ids.ts";
import { MAX_DISPLAY_NAME_CHARS, PUBLIC_KEY_BYTES } from "./limits.ts";
import { parse } from "./parse.ts";

/**
 * Counselor certificates: PURE byte layout, no cryptography (PROTOCOL.md "Certificates").
 * The server verifies the signature with node:crypto (plain Ed25519 over `signed`, see
 * `ED25519_SPKI_PREFIX`), the clients with libsodium (shared/crypto), from the same bytes.
 *
 *   magic "sahara-cert-v1" (14) | org public key (32) | role u8 | subject public key (32)
 *   | not-before u64 BE ms | not-after u64 BE ms | u8 n + staff id (n, ASCII)
 *   | u8 n + display name (n, UTF-8) | Ed25519 signature (64) over every byte before it
 */
export const CERTIFICATE_MAGIC = "sahara-cert-v1";
export const SIGNATURE_BYTES = 64;
export const CERTIFICATE_ROLES = ["counselor", "supervisor", "admin"] as const;
export type CertificateRole = (typeof CERTIFICATE_ROLES)[number];

/** DER prefix that turns a raw 32-byte Ed25519 public key into SPKI for `crypto.createPublicKey`. */
export const ED25519_SPKI_PREFIX = new Uint8Array([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);

export type CertificateBody = Readonly<{
  orgPublicKey: Uint8Array;
  role: CertificateRole;
  /** The counselor's Ed25519 identity public key. */
  subjectPublicKey: Uint8Array;
  /** Validity window, Unix milliseconds, inclusive. */
  notBefore: number;
  notAfter: number;
  staffId: StaffId;
  displayName: string;
}>;

export type DecodedCertificate = Readonly<{
  body: CertificateBody;
  /** The exact bytes the signature covers (everything before it). */
  signed: Uint8Array;
  signature: Uint8Array;
}>;

const MAGIC = new TextEncoder().encode(CERTIFICATE_MAGIC);
const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** Longest possible certificate: fixed part + 255-byte id + 255-byte name + signature. */
export const MAX_CERTIFICATE_BYTES = MAGIC.length + 32 + 1 + 32 + 8 + 8 + 1 + 255 + 1 + 255 + SIGNATURE_BYTES;

function validBody(body: CertificateBody): boolean {
  const nameBytes = encoder.encode(body.displayName).length;
  return (
    body.orgPublicKey.length === PUBLIC_KEY_BYTES &&
    body.subjectPublicKey.length === PUBLIC_KEY_BYTES &&
    CERTIFICATE_ROLES.includes(body.role) &&
    Number.isSafeInteger(body.notBefore) &&
    Number.isSafeInteger(body.notAfter) &&
    body.notBefore >= 0 &&
    body.notBefore < body.notAfter &&
    parse(StaffIdSchema, body.staffId).ok &&
    body.displayName.length >= 1 &&
    body.displayName.length <= MAX_DISPLAY_NAME_CHARS &&
    nameBytes <= 255
  );
}

/** The bytes an org key signs. `invalid-body` for out-of-range fields (checked, not thrown). */
export function encodeCertificateBody(body: CertificateBody): Result<Uint8Array, "invalid-body"> {
  if (!validBody(body)) return err("invalid-body");
  const id = encoder.encode(body.staffId);
  const name = encoder.encode(body.displayName);
  const out = new Uint8Array(MAGIC.length + 32 + 1 + 32 + 16 + 1 + id.length + 1 + name.length);
  const view = new DataView(out.buffer);
  let at = 0;
  out.set(MAGIC, at);
  at += MAGIC.length;
  out.set(body.orgPublicKey, at);
  at += 32;
  out[at++] = CERTIFICATE_ROLES.indexOf(body.role) + 1;
  out.set(body.subjectPublicKey, at);
  at += 32;
  view.setBigUint64(at, BigInt(body.notBefore));
  view.setBigUint64(at + 8, BigInt(body.notAfter));
  at += 16;
  out[at++] = id.length;
  out.set(id, at);
  at += id.length;
  out[at++] = name.length;
  out.set(name, at);
  return ok(out);
}

/** Certificate = signed body followed by its 64-byte signature. */
export function assembleSigned(signed: Uint8Array, signature: Uint8Array): Uint8Array {
  const out = new Uint8Array(signed.length + signature.length);
  out.set(signed, 0);
  out.set(signature, signed.length);
  return out;
}

/**
 * Decodes untrusted certificate bytes. Never throws; does NOT check the signature (that is
 * `verifyCertificate` in shared/crypto, or node:crypto on the server). Strict: exact lengths,
 * known role, valid UTF-8, id and name within limits, not-before < not-after, no trailing bytes.
 */
export function decodeCertificate(bytes: Uint8Array): Result<DecodedCertificate, "bad-encoding"> {
  try {
    return decodeStrict(bytes);
  } catch {
    return err("bad-encoding");
  }
}

function decodeStrict(bytes: Uint8Array): Result<DecodedCertificate, "bad-encoding"> {
  if (!(bytes instanceof Uint8Array) || bytes.length > MAX_CERTIFICATE_BYTES) return err("bad-encoding");
  const fixed = MAGIC.length + 32 + 1 + 32 + 16;
  if (bytes.length < fixed + 2 + SIGNATURE_BYTES) return err("bad-encoding");
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return err("bad-encoding");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = MAGIC.length;
  const orgPublicKey = bytes.slice(at, at + 32);
  at += 32;
  const role = CERTIFICATE_ROLES[view.getUint8(at++) - 1];
  if (role === undefined) return err("bad-encoding");
  const subjectPublicKey = bytes.slice(at, at + 32);
  at += 32;
  const notBefore = view.getBigUint64(at);
  const notAfter = view.getBigUint64(at + 8);
  at += 16;
  if (notBefore > BigInt(Number.MAX_SAFE_INTEGER) || notAfter > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err("bad-encoding");
  }
  const idLength = view.getUint8(at++);
  if (at + idLength + 1 + SIGNATURE_BYTES > bytes.length) return err("bad-encoding");
  const staffId = parse(StaffIdSchema, strictUtf8.decode(bytes.subarray(at, at + idLength)));
  at += idLength;
  const nameLength = view.getUint8(at++);
  if (at + nameLength + SIGNATURE_BYTES !== bytes.length || !staffId.ok) return err("bad-encoding");
  const displayName = strictUtf8.decode(bytes.subarray(at, at + nameLength));
  at += nameLength;
  const body: CertificateBody = {
    orgPublicKey,
    role,
    subjectPublicKey,
    notBefore: Number(notBefore),
    notAfter: Number(notAfter),
    staffId: staffId.value,
    displayName,
  };
  if (!validBody(body)) return err("bad-encoding");
  return ok({ body, signed: bytes.slice(0, at), signature: bytes.slice(at) });
}
