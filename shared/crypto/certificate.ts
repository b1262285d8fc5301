import { type CertificateBody, decodeCertificate } from "../protocol/certificate.ts";
import { err, ok, type Result } from "../result.ts";
import type { CertificateError } from "./errors.ts";
import type { VerifiedRevocationList } from "./revocation.ts";
import { sodium } from "./sodium.ts";

/**
 * Clocks on survivors' phones drift: validity edges are widened by this much both ways.
 * Certificates are short-lived (days), so five minutes does not extend them meaningfully.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

export type VerifiedCertificate = Readonly<{ body: CertificateBody; bytes: Uint8Array }>;

/**
 * Verifies certificate bytes against the trusted org public key at `nowMs`, and against a
 * verified revocation list if one is given. Never throws. Checks, in order: encoding,
 * issuing org, signature, revocation, not-before, not-after.
 */
export function verifyCertificate(
  bytes: Uint8Array,
  orgPublicKey: Uint8Array,
  nowMs: number,
  revocations?: VerifiedRevocationList,
): Result<VerifiedCertificate, CertificateError> {
  const decoded = decodeCertificate(bytes);
  if (!decoded.ok) return decoded;
  // Fail closed on a broken clock value: NaN would make every validity comparison false.
  if (!Number.isFinite(nowMs)) return err("expired");
  const { body, signed, signature } = decoded.value;
  const s = sodium();
  if (orgPublicKey.length !== 32 || !s.memcmp(body.orgPublicKey, orgPublicKey)) return err("other-org");
  if (!verifySignature(signature, signed, orgPublicKey)) return err("bad-signature");
  if (revocations !== undefined && isRevoked(body.subjectPublicKey, revocations)) return err("revoked");
  if (nowMs + CLOCK_SKEW_MS < body.notBefore) return err("not-yet-valid");
  if (nowMs - CLOCK_SKEW_MS > body.notAfter) return err("expired");
  return ok({ body, bytes: bytes.slice() });
}

export function isRevoked(subjectPublicKey: Uint8Array, revocations: VerifiedRevocationList): boolean {
  const s = sodium();
  return revocations.revokedKeys.some((key) => s.memcmp(key, subjectPublicKey));
}

/** Ed25519 verify that answers false, never throws, on malformed keys or signatures. */
export function verifySignature(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return sodium().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

/** BLAKE2b-256 of the whole certificate (signature included): the handshake binds it. */
export function certificateHash(bytes: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, bytes, null);
}
