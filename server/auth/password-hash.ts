import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * The server stores only a memory-hard hash of each authentication key (itself derived from the
 * password with Argon2id in the browser), so a stolen database does not let anyone log in.
 * Format: `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>`.
 */
export type ScryptCost = Readonly<{ log2N: number; r: number; p: number }>;

/** 16 MiB and tens of milliseconds per check: the input is already Argon2id output. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { log2N: 14, r: 8, p: 1 };
const HASH_BYTES = 32;

function derive(secret: Buffer, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, HASH_BYTES, { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashAuthKey(
  authKey: Uint8Array,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(Buffer.from(authKey), salt, cost);
  return ["scrypt", cost.log2N, cost.r, cost.p, salt.toString("base64url"), hash.toString("base64url")].join(
    "$",
  );
}

/** A stored value for unknown accounts, so a failed login costs the same time either way. */
export function dummyHash(cost: ScryptCost = DEFAULT_SCRYPT_COST): string {
  return ["scrypt", cost.log2N, cost.r, cost.p, "A".repeat(22), "A".repeat(43)].join("$");
}

/** Constant-time check; a malformed stored value is simply a mismatch. */
export async function verifyAuthKey(authKey: Uint8Array, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [log2N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (
    ![log2N, r, p].every(Number.isInteger) ||
    log2N < 10 ||
    log2N > 20 ||
    r < 1 ||
    r > 32 ||
    p < 1 ||
    p > 4
  ) {
    return false;
  }
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const expected = Buffer.from(parts[5] ?? "", "base64url");
  const actual = await derive(Buffer.from(authKey), salt, { log2N, r, p });
  return expected.byteLength === actual.byteLength && timingSafeEqual(expected, actual);
}
