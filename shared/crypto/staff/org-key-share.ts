import { err, ok, type Result } from "../../result.ts";
import { certificateHash, verifyCertificate, verifySignature } from "../certificate.ts";
import type { CertificateError } from "../errors.ts";
import type { VerifiedRevocationList } from "../revocation.ts";
import { sodium } from "../sodium.ts";

/**
 * Handing the org private key from an admin who holds it to another admin (PROTOCOL.md
 * "Staff keys"). Sealed box to the recipient's certified identity key converted to Curve25519,
 * signed inside by the sharing admin with its admin certificate: without the signature the
 * server, which knows every public key, could push any "org key" of its choosing to an admin.
 * The recipient also checks that the secret key's public half is the org public key it knows.
 *
 *   sealed    = crypto_box_seal(u16 BE n | certificate (n) | signature (64) | org secret key (64),
 *                               curve(recipient))
 *   signature = Ed25519(sharer, "sahara-v1/org-key-share" | recipient pk (32) | org pk (32)
 *                               | BLAKE2b-256(certificate))
 */
const LABEL_ORG_KEY_SHARE = new TextEncoder().encode("sahara-v1/org-key-share");
const SECRET_KEY_BYTES = 64;
const SIGNATURE_BYTES = 64;

export type OrgKeyShareError =
  | CertificateError
  | "decrypt-failed"
  | "bad-share-signature"
  | "not-admin"
  | "other-org";

function signedPart(recipientPublicKey: Uint8Array, orgPublicKey: Uint8Array, certificate: Uint8Array) {
  const out = new Uint8Array(LABEL_ORG_KEY_SHARE.length + 96);
  out.set(LABEL_ORG_KEY_SHARE, 0);
  out.set(recipientPublicKey, LABEL_ORG_KEY_SHARE.length);
  out.set(orgPublicKey, LABEL_ORG_KEY_SHARE.length + 32);
  out.set(certificateHash(certificate), LABEL_ORG_KEY_SHARE.length + 64);
  return out;
}

/**
 * Recomputed from the seed, not read from the key's last 32 bytes: those are only a cache, and a
 * forged key could carry the real org public key there next to a seed of the forger's choosing.
 */
function publicHalf(secretKey: Uint8Array): Uint8Array {
  const pair = sodium().crypto_sign_seed_keypair(secretKey.subarray(0, 32));
  sodium().memzero(pair.privateKey);
  return pair.publicKey;
}

export type SealOrgKeyInput = Readonly<{
  orgSecretKey: Uint8Array;
  /** The receiving admin's Ed25519 identity public key (from its certificate). */
  recipientPublicKey: Uint8Array;
  senderSecretKey: Uint8Array;
  senderCertificate: Uint8Array;
}>;

export function sealOrgKey(input: SealOrgKeyInput): Result<Uint8Array, "bad-recipient-key" | "bad-org-key"> {
  const s = sodium();
  if (input.orgSecretKey.length !== SECRET_KEY_BYTES || input.recipientPublicKey.length !== 32) {
    return err(input.orgSecretKey.length !== SECRET_KEY_BYTES ? "bad-org-key" : "bad-recipient-key");
  }
  let curve: Uint8Array;
  try {
    curve = s.crypto_sign_ed25519_pk_to_curve25519(input.recipientPublicKey);
  } catch {
    return err("bad-recipient-key");
  }
  const cert = input.senderCertificate;
  const orgPublicKey = publicHalf(input.orgSecretKey);
  const signature = s.crypto_sign_detached(
    signedPart(input.recipientPublicKey, orgPublicKey, cert),
    input.senderSecretKey,
  );
  const inner = new Uint8Array(2 + cert.length + SIGNATURE_BYTES + SECRET_KEY_BYTES);
  inner[0] = cert.length >>> 8;
  inner[1] = cert.length & 0xff;
  inner.set(cert, 2);
  inner.set(signature, 2 + cert.length);
  inner.set(input.orgSecretKey, 2 + cert.length + SIGNATURE_BYTES);
  const sealed = s.crypto_box_seal(inner, curve);
  s.memzero(inner);
  return ok(sealed);
}

export type OpenOrgKeyContext = Readonly<{
  recipientPublicKey: Uint8Array;
  recipientSecretKey: Uint8Array;
  orgPublicKey: Uint8Array;
  nowMs: number;
  revocations?: VerifiedRevocationList;
}>;

/** Opens a shared org key and returns the org secret key. Never throws. */
export function openOrgKey(
  sealed: Uint8Array,
  context: OpenOrgKeyContext,
): Result<Uint8Array, OrgKeyShareError> {
  const s = sodium();
  let inner: Uint8Array;
  try {
    const curvePublic = s.crypto_sign_ed25519_pk_to_curve25519(context.recipientPublicKey);
    const curveSecret = s.crypto_sign_ed25519_sk_to_curve25519(context.recipientSecretKey);
    try {
      inner = s.crypto_box_seal_open(sealed, curvePublic, curveSecret);
    } finally {
      s.memzero(curveSecret);
    }
  } catch {
    return err("decrypt-failed");
  }
  const n = ((inner[0] ?? 0) << 8) | (inner[1] ?? 0);
  if (inner.length !== 2 + n + SIGNATURE_BYTES + SECRET_KEY_BYTES) {
    s.memzero(inner);
    return err("decrypt-failed");
  }
  const certificate = inner.slice(2, 2 + n);
  const signature = inner.slice(2 + n, 2 + n + SIGNATURE_BYTES);
  const orgSecretKey = inner.slice(2 + n + SIGNATURE_BYTES);
  s.memzero(inner);
  const fail = (code: OrgKeyShareError): Result<Uint8Array, OrgKeyShareError> => {
    s.memzero(orgSecretKey);
    return err(code);
  };
  const verified = verifyCertificate(certificate, context.orgPublicKey, context.nowMs, context.revocations);
  if (!verified.ok) return fail(verified.error);
  // Only an admin may hand the org key on; a counselor never holds it, so a counselor-signed
  // share means a forgery path we refuse rather than reason about.
  if (verified.value.body.role !== "admin") return fail("not-admin");
  if (
    !verifySignature(
      signature,
      signedPart(context.recipientPublicKey, context.orgPublicKey, certificate),
      verified.value.body.subjectPublicKey,
    )
  ) {
    return fail("bad-share-signature");
  }
  // Both halves: signing with a key whose cached public half is wrong can leak the seed.
  if (
    !s.memcmp(publicHalf(orgSecretKey), context.orgPublicKey) ||
    !s.memcmp(orgSecretKey.subarray(32), context.orgPublicKey)
  ) {
    return fail("other-org");
  }
  return ok(orgSecretKey);
}
