import { SALT_BYTES } from "../../shared/protocol/http/index.ts";
import { keyedHash } from "./keyed-hash.ts";

/**
 * The one salt a username ever has: an HMAC of the username under the process secret.
 * `POST /api/auth/salt` answers it for every username (unknown, invited, enrolled), and setup
 * and enrollment must store exactly it (the console asks for it first), and a new password keeps
 * the stored salt. So the answer for a username never changes: it says nothing about whether the
 * account exists, nor when it was created or re-keyed (a random salt chosen at creation or at
 * each password change would show both to anyone polling the endpoint). Stable across restarts
 * because the secret persists (server/auth/secret.ts). The purpose label predates this use (it
 * keyed the fake salts of unknown usernames), so those answers did not change either.
 *
 * A per-username salt known in advance is still unique per account and public anyway (the
 * endpoint hands it out); what it protects against, precomputation across accounts, it still
 * does. Accounts created before this rule keep their stored random salt, which also never changes.
 */
export function usernameSalt(secret: Uint8Array, username: string): string {
  return keyedHash(secret, "fake-salt", username).subarray(0, SALT_BYTES).toString("base64url");
}
