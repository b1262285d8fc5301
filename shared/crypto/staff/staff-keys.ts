import { err, ok, type Result } from "../../result.ts";
import { randomBytes } from "../random.ts";
import { sodiumSumo } from "./sodium-sumo.ts";

/**
 * Password -> Argon2id -> 32-byte master -> two independent keys (PROTOCOL.md "Staff keys"):
 *   authKey     = crypto_kdf_derive_from_key(32, 1, "sahstaff", master)  sent to the server,
 *                 which stores only a memory-hard hash of it;
 *   wrappingKey = crypto_kdf_derive_from_key(32, 2, "sahstaff", master)  never leaves the browser.
 */
export type KdfProfile = Readonly<{ opsLimit: number; memLimitBytes: number }>;

/**
 * For a counselor's laptop, in a browser Worker (~0.5 s). A client constant, never taken from
 * the server: a server that chose it could downgrade it and brute-force the auth key.
 */
export const STAFF_KDF_PROFILE: KdfProfile = { opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 };
/** Argon2id's minimum cost: for tests and vectors only. */
export const STAFF_KDF_PROFILE_FOR_TESTING: KdfProfile = { opsLimit: 1, memLimitBytes: 8192 };

export const STAFF_SALT_BYTES = 16;
const KDF_CONTEXT = "sahstaff";

export type StaffKeys = Readonly<{ authKey: Uint8Array; wrappingKey: Uint8Array }>;

/** A fresh per-account salt (stored by the server next to the account). */
export function generateStaffSalt(): Uint8Array {
  return randomBytes(STAFF_SALT_BYTES);
}

/**
 * Synchronous and slow by design: run it in a Worker. The password is NFC-normalized so the
 * same password typed on another keyboard or OS gives the same keys.
 */
export function deriveStaffKeys(
  password: string,
  salt: Uint8Array,
  profile: KdfProfile = STAFF_KDF_PROFILE,
): Result<StaffKeys, "bad-parameters"> {
  const s = sodiumSumo();
  if (
    salt.length !== STAFF_SALT_BYTES ||
    !Number.isInteger(profile.opsLimit) ||
    profile.opsLimit < 1 ||
    !Number.isInteger(profile.memLimitBytes) ||
    profile.memLimitBytes < 8192
  ) {
    return err("bad-parameters");
  }
  const passwordBytes = new TextEncoder().encode(password.normalize("NFC"));
  const master = s.crypto_pwhash(
    32,
    passwordBytes,
    salt,
    profile.opsLimit,
    profile.memLimitBytes,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
  s.memzero(passwordBytes);
  const authKey = s.crypto_kdf_derive_from_key(32, 1, KDF_CONTEXT, master);
  const wrappingKey = s.crypto_kdf_derive_from_key(32, 2, KDF_CONTEXT, master);
  s.memzero(master);
  return ok({ authKey, wrappingKey });
}
