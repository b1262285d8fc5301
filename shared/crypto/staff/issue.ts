import { assembleSigned, type CertificateBody, encodeCertificateBody } from "../../protocol/certificate.ts";
import { encodeRevocationListBody } from "../../protocol/revocation.ts";
import { ok, type Result } from "../../result.ts";
import { randomBytes } from "../random.ts";
import { sodium } from "../sodium.ts";

/** Ed25519 key pair; `secretKey` is libsodium's 64-byte form (seed | public key). */
export type SigningKeyPair = Readonly<{ publicKey: Uint8Array; secretKey: Uint8Array }>;

function generateSigningKeyPair(): SigningKeyPair {
  const s = sodium();
  const seed = randomBytes(32);
  const pair = s.crypto_sign_seed_keypair(seed);
  s.memzero(seed);
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

/** The helpline's root key: made once in the first admin's browser at setup. */
export const generateOrgKeyPair = generateSigningKeyPair;
/** A counselor's identity key: made in the counselor's browser at enrollment. */
export const generateIdentityKeyPair = generateSigningKeyPair;

/** Signs a certificate with the org key (admin console). The org public key comes from the secret key. */
export function issueCertificate(
  orgSecretKey: Uint8Array,
  body: Omit<CertificateBody, "orgPublicKey">,
): Result<Uint8Array, "invalid-body"> {
  const signed = encodeCertificateBody({ ...body, orgPublicKey: orgSecretKey.slice(32) });
  if (!signed.ok) return signed;
  return ok(assembleSigned(signed.value, sodium().crypto_sign_detached(signed.value, orgSecretKey)));
}

/** Signs a revocation list (keys are sorted and deduplicated by the encoder). */
export function signRevocationList(
  orgSecretKey: Uint8Array,
  list: Readonly<{ issuedAt: number; revokedKeys: readonly Uint8Array[] }>,
): Result<Uint8Array, "invalid-body"> {
  const signed = encodeRevocationListBody({ ...list, orgPublicKey: orgSecretKey.slice(32) });
  if (!signed.ok) return signed;
  return ok(assembleSigned(signed.value, sodium().crypto_sign_detached(signed.value, orgSecretKey)));
}
