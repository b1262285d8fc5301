import type { StaffId } from "../../protocol/ids.ts";
import { err, ok, type Result } from "../../result.ts";
import { LABEL_WRAP } from "../labels.ts";
import { randomBytes } from "../random.ts";
import { sodium } from "../sodium.ts";

/**
 * Private keys stored on the server only wrapped (PROTOCOL.md "Staff keys"):
 *
 *   wrapped = version u8 = 1 | nonce (24, random) | XChaCha20-Poly1305-IETF(secret key)
 *   AD      = "sahara-v1/wrap" | version u8 | purpose u8 (1 identity, 2 org) | u8 n + staff id
 *
 * The AD stops the server swapping one account's wrapped key (or the org key) for another's.
 */
export type WrapPurpose = "identity" | "org";
export type WrapContext = Readonly<{ purpose: WrapPurpose; staffId: StaffId }>;

const VERSION = 1;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;

function purposeByte(purpose: WrapPurpose): number {
  switch (purpose) {
    case "identity":
      return 1;
    case "org":
      return 2;
    default: {
      const never: never = purpose;
      throw new Error(`unknown purpose ${String(never)}`);
    }
  }
}

function wrapAd(context: WrapContext): Uint8Array {
  const id = new TextEncoder().encode(context.staffId);
  const out = new Uint8Array(LABEL_WRAP.length + 3 + id.length);
  out.set(LABEL_WRAP, 0);
  out[LABEL_WRAP.length] = VERSION;
  out[LABEL_WRAP.length + 1] = purposeByte(context.purpose);
  out[LABEL_WRAP.length + 2] = id.length;
  out.set(id, LABEL_WRAP.length + 3);
  return out;
}

export function wrapSecretKey(
  wrappingKey: Uint8Array,
  secretKey: Uint8Array,
  context: WrapContext,
): Uint8Array {
  const s = sodium();
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
    secretKey,
    wrapAd(context),
    null,
    nonce,
    wrappingKey,
  );
  const out = new Uint8Array(1 + NONCE_BYTES + sealed.length);
  out[0] = VERSION;
  out.set(nonce, 1);
  out.set(sealed, 1 + NONCE_BYTES);
  return out;
}

/** Never throws: a wrong password, a swapped blob or a damaged one are all `unwrap-failed`. */
export function unwrapSecretKey(
  wrappingKey: Uint8Array,
  wrapped: Uint8Array,
  context: WrapContext,
): Result<Uint8Array, "bad-encoding" | "unwrap-failed"> {
  if (
    !(wrapped instanceof Uint8Array) ||
    wrapped.length < 1 + NONCE_BYTES + TAG_BYTES ||
    wrapped[0] !== VERSION
  ) {
    return err("bad-encoding");
  }
  try {
    const nonce = wrapped.subarray(1, 1 + NONCE_BYTES);
    const sealed = wrapped.subarray(1 + NONCE_BYTES);
    return ok(
      sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, wrapAd(context), nonce, wrappingKey),
    );
  } catch {
    return err("unwrap-failed");
  }
}
