import { type DecodedCertificate, decodeCertificate } from "../../shared/protocol/certificate.ts";
import { decodeRevocationList, type RevocationListBody } from "../../shared/protocol/revocation.ts";
import type { StaffId } from "../../shared/protocol/index.ts";
import { err, ok, type Result } from "../../shared/result.ts";
import type { StaffRole } from "../relay/deps.ts";
import { verifyEd25519 } from "./org-signature.ts";

/** What the stored account says; a certificate must match it exactly. */
export type CertificateSubject = Readonly<{
  id: StaffId;
  role: StaffRole;
  displayName: string;
  identityPublicKey: Uint8Array;
}>;

const equalBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * Threat: a relay operator (or a stolen admin session without the org key) planting a
 * certificate for a key it controls. A certificate is stored only if the org key signed it,
 * it names this org key, and it binds exactly this account's id, role, display name and
 * identity key, and is valid now.
 */
export function checkCertificate(
  certificate: Uint8Array,
  orgPublicKey: Uint8Array,
  subject: CertificateSubject,
  now: number,
): Result<DecodedCertificate, "bad-certificate"> {
  const decoded = decodeCertificate(certificate);
  if (!decoded.ok) return err("bad-certificate");
  const { body, signed, signature } = decoded.value;
  const matches =
    equalBytes(body.orgPublicKey, orgPublicKey) &&
    body.staffId === subject.id &&
    body.role === subject.role &&
    body.displayName === subject.displayName &&
    equalBytes(body.subjectPublicKey, subject.identityPublicKey) &&
    body.notBefore <= now &&
    now <= body.notAfter;
  if (!matches || !verifyEd25519(orgPublicKey, signed, signature)) return err("bad-certificate");
  return ok(decoded.value);
}

/** A revocation list signed by this org key (freshness is the storage's job). */
export function checkRevocationList(
  list: Uint8Array,
  orgPublicKey: Uint8Array,
): Result<RevocationListBody, "bad-revocation-list"> {
  const decoded = decodeRevocationList(list);
  if (!decoded.ok) return err("bad-revocation-list");
  const { body, signed, signature } = decoded.value;
  if (!equalBytes(body.orgPublicKey, orgPublicKey) || !verifyEd25519(orgPublicKey, signed, signature)) {
    return err("bad-revocation-list");
  }
  return ok(body);
}
