import CryptoWorker from "./crypto.worker.ts?worker&inline";

/**
 * Loaded with a dynamic import while the first screen shows, so libsodium (the bulk of the
 * frame's bytes) is not part of the initial download and `npm run size` can count it apart.
 */
export function spawnCryptoWorker(): Worker {
  return new CryptoWorker({ name: "sahara-crypto" });
}
