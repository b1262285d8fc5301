import { POW_NONCE_BYTES } from "../protocol/limits.ts";

const encoder = new TextEncoder();

/**
 * The bytes hashed for a proof: UTF-8 of the full challenge string followed by the 8-byte nonce.
 * A proof is valid when SHA-256 of this has at least `difficulty` leading zero bits.
 */
export function powInput(challenge: string, nonce: Uint8Array): Uint8Array {
  const prefix = encoder.encode(challenge);
  const out = new Uint8Array(prefix.length + POW_NONCE_BYTES);
  out.set(prefix);
  out.set(nonce.subarray(0, POW_NONCE_BYTES), prefix.length);
  return out;
}
