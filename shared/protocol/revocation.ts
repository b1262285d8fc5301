import { err, ok, type Result } from "../result.ts";
import { SIGNATURE_BYTES } from "./certificate.ts";
import { PUBLIC_KEY_BYTES } from "./limits.ts";

/**
 * Signed revocation list: PURE byte layout, no cryptography (PROTOCOL.md "Revocation list").
 * Revocation is by subject (identity) public key, not by certificate hash, so the server can
 * check it with byte comparison alone and every certificate ever issued for a key dies with it.
 *
 *   magic "sahara-revocations-v1" (21) | org public key (32) | issued-at u64 BE ms
 *   | count u32 BE | count x revoked identity public key (32 each, strictly ascending)
 *   | Ed25519 signature (64) over every byte before it
 */
export const REVOCATION_MAGIC = "sahara-revocations-v1";
/** Bounds the list (and the work to decode it): 10,000 keys is 320 KB. */
export const MAX_REVOKED_KEYS = 10_000;

export type RevocationListBody = Readonly<{
  orgPublicKey: Uint8Array;
  issuedAt: number;
  revokedKeys: readonly Uint8Array[];
}>;

export type DecodedRevocationList = Readonly<{
  body: RevocationListBody;
  signed: Uint8Array;
  signature: Uint8Array;
}>;

const MAGIC = new TextEncoder().encode(REVOCATION_MAGIC);
const HEADER = MAGIC.length + 32 + 8 + 4;

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * The bytes an org key signs. Keys are sorted and deduplicated here, so one set of keys has
 * exactly one encoding. `invalid-body` for wrong key sizes, bad time or too many keys.
 */
export function encodeRevocationListBody(body: RevocationListBody): Result<Uint8Array, "invalid-body"> {
  const keys = [...body.revokedKeys]
    .sort(compareBytes)
    .filter((k, i, all) => i === 0 || compareBytes(k, all[i - 1]!) !== 0);
  if (
    body.orgPublicKey.length !== PUBLIC_KEY_BYTES ||
    !Number.isSafeInteger(body.issuedAt) ||
    body.issuedAt < 0 ||
    keys.length > MAX_REVOKED_KEYS ||
    keys.some((k) => k.length !== PUBLIC_KEY_BYTES)
  ) {
    return err("invalid-body");
  }
  const out = new Uint8Array(HEADER + keys.length * PUBLIC_KEY_BYTES);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out.set(body.orgPublicKey, MAGIC.length);
  view.setBigUint64(MAGIC.length + 32, BigInt(body.issuedAt));
  view.setUint32(MAGIC.length + 40, keys.length);
  keys.forEach((k, i) => {
    out.set(k, HEADER + i * PUBLIC_KEY_BYTES);
  });
  return ok(out);
}

/** Decodes untrusted bytes; never throws; does NOT check the signature. */
export function decodeRevocationList(bytes: Uint8Array): Result<DecodedRevocationList, "bad-encoding"> {
  try {
    if (!(bytes instanceof Uint8Array) || bytes.length < HEADER + SIGNATURE_BYTES) return err("bad-encoding");
    for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return err("bad-encoding");
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const issuedAt = view.getBigUint64(MAGIC.length + 32);
    const count = view.getUint32(MAGIC.length + 40);
    if (issuedAt > BigInt(Number.MAX_SAFE_INTEGER) || count > MAX_REVOKED_KEYS) return err("bad-encoding");
    const end = HEADER + count * PUBLIC_KEY_BYTES;
    if (bytes.length !== end + SIGNATURE_BYTES) return err("bad-encoding");
    const revokedKeys: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const key = bytes.slice(HEADER + i * PUBLIC_KEY_BYTES, HEADER + (i + 1) * PUBLIC_KEY_BYTES);
      // Strictly ascending: one canonical encoding per set, no duplicates.
      const previous = revokedKeys[i - 1];
      if (previous !== undefined && compareBytes(previous, key) >= 0) return err("bad-encoding");
      revokedKeys.push(key);
    }
    const body: RevocationListBody = {
      orgPublicKey: bytes.slice(MAGIC.length, MAGIC.length + 32),
      issuedAt: Number(issuedAt),
      revokedKeys,
    };
    return ok({ body, signed: bytes.slice(0, end), signature: bytes.slice(end) });
  } catch {
    return err("bad-encoding");
  }
}
