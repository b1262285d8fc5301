import { createPublicKey, verify } from "node:crypto";
import { ED25519_SPKI_PREFIX } from "../../shared/protocol/certificate.ts";

/**
 * Plain Ed25519 verification with node:crypto. The server checks org signatures itself (it
 * never imports the crypto core), so a forged certificate or revocation list is refused at the
 * door even though the widget and console check them again.
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.byteLength !== 32 || signature.byteLength !== 64) return false;
  try {
    const spki = Buffer.concat([ED25519_SPKI_PREFIX, publicKey]);
    const key = createPublicKey({ key: spki, format: "der", type: "spki" });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
