import { err, ok, type Result } from "../result.ts";
import { leadingZeroBits, type ParsedChallenge, parseChallenge } from "./challenge.ts";
import { powInput } from "./input.ts";
import { sha256 } from "./sha256.ts";

export type Digest = (bytes: Uint8Array) => Uint8Array;

/**
 * Checks only the work: the challenge is well-formed and SHA-256(challenge || nonce) has enough
 * leading zero bits. The relay additionally checks the MAC, the expiry and single use; it passes
 * node:crypto's SHA-256 as `digest`, the pure one is the default. Never throws.
 */
export function verifyWork(
  challenge: string,
  nonce: Uint8Array,
  digest: Digest = sha256,
): Result<ParsedChallenge, "bad-challenge" | "insufficient-work"> {
  const parsed = parseChallenge(challenge);
  if (!parsed.ok) return parsed;
  if (leadingZeroBits(digest(powInput(challenge, nonce))) < parsed.value.difficulty)
    return err("insufficient-work");
  return ok(parsed.value);
}
