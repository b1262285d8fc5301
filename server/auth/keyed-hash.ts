import { createHmac } from "node:crypto";

/**
 * Domain-separated HMAC-SHA256 under the process secret. Every derived value (fake salts,
 * client keys for rate limits) names its purpose so one can never be replayed as another.
 */
export function keyedHash(secret: Uint8Array, purpose: string, ...parts: readonly string[]): Buffer {
  const mac = createHmac("sha256", secret);
  mac.update(purpose);
  for (const part of parts) {
    // Length-prefixed so ("ab","c") and ("a","bc") differ.
    mac.update(`\0${part.length}:${part}`);
  }
  return mac.digest();
}
