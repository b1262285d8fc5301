import { SALT_BYTES } from "../../shared/protocol/http/index.ts";
import { keyedHash } from "./keyed-hash.ts";

/**
 * The salt answered for an unknown username: stable (same username, same salt, across restarts
 * because the secret persists) and shaped like a real one, so `POST /api/auth/salt` cannot be
 * used to find out which usernames exist.
 */
export function fakeSalt(secret: Uint8Array, username: string): string {
  return keyedHash(secret, "fake-salt", username).subarray(0, SALT_BYTES).toString("base64url");
}
