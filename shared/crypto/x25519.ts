import { randomBytes } from "./random.ts";
import { sodium } from "./sodium.ts";

/** An ephemeral X25519 key pair (crypto_kx) made from the one randomness source. */
export type EphemeralKeyPair = { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array };

export function generateEphemeralKeyPair(): EphemeralKeyPair {
  const s = sodium();
  const seed = randomBytes(s.crypto_kx_SEEDBYTES);
  const pair = s.crypto_kx_seed_keypair(seed);
  s.memzero(seed);
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

/**
 * Session keys from crypto_kx, as (survivor-to-counselor, counselor-to-survivor), or null
 * when the peer key is unusable. libsodium's X25519 refuses low-order points (the all-zero
 * point and the other small-order points on Curve25519) and an all-zero shared secret, and
 * crypto_kx then fails, which libsodium.js turns into a throw. We rely on that documented
 * behaviour instead of a second scalar multiplication (it would double the handshake's main
 * cost); the hostile-relay tests feed every known small-order point, so a build that stopped
 * refusing them would fail the suite.
 */
export function kxSessionKeys(
  side: "survivor" | "counselor",
  own: EphemeralKeyPair,
  peerPublicKey: Uint8Array,
): Readonly<{ survivorToCounselor: Uint8Array; counselorToSurvivor: Uint8Array }> | null {
  const s = sodium();
  if (peerPublicKey.length !== s.crypto_kx_PUBLICKEYBYTES || s.is_zero(peerPublicKey)) return null;
  try {
    if (side === "survivor") {
      const keys = s.crypto_kx_client_session_keys(own.publicKey, own.secretKey, peerPublicKey);
      return { survivorToCounselor: keys.sharedTx, counselorToSurvivor: keys.sharedRx };
    }
    const keys = s.crypto_kx_server_session_keys(own.publicKey, own.secretKey, peerPublicKey);
    return { survivorToCounselor: keys.sharedRx, counselorToSurvivor: keys.sharedTx };
  } catch {
    return null;
  }
}
