import { decodeRevocationList } from "../protocol/revocation.ts";
import { err, ok, type Result } from "../result.ts";
import { CLOCK_SKEW_MS, verifySignature } from "./certificate.ts";
import type { RevocationListError } from "./errors.ts";
import { sodium } from "./sodium.ts";

declare const verifiedBrand: unique symbol;

/** A revocation list whose signature was checked: only `verifyRevocationList` mints one. */
export type VerifiedRevocationList = Readonly<{
  issuedAt: number;
  revokedKeys: readonly Uint8Array[];
  readonly [verifiedBrand]: true;
}>;

/**
 * Verifies a signed revocation list from the trusted org. Never throws. A list "issued" in the
 * future is refused (`not-yet-valid`); freshness (how old a list the caller accepts) is the
 * caller's policy: compare `issuedAt` with the newest list it has seen, so a relay cannot roll
 * back to an older list.
 */
export function verifyRevocationList(
  bytes: Uint8Array,
  orgPublicKey: Uint8Array,
  nowMs: number,
): Result<VerifiedRevocationList, RevocationListError> {
  const decoded = decodeRevocationList(bytes);
  if (!decoded.ok) return decoded;
  const { body, signed, signature } = decoded.value;
  if (orgPublicKey.length !== 32 || !sodium().memcmp(body.orgPublicKey, orgPublicKey))
    return err("other-org");
  if (!verifySignature(signature, signed, orgPublicKey)) return err("bad-signature");
  if (!Number.isFinite(nowMs) || body.issuedAt > nowMs + CLOCK_SKEW_MS) return err("not-yet-valid");
  return ok({ issuedAt: body.issuedAt, revokedKeys: body.revokedKeys } as VerifiedRevocationList);
}
