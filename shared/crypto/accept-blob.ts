import { MAX_CERTIFICATE_BYTES, SIGNATURE_BYTES } from "../protocol/certificate.ts";
import { MAX_HANDSHAKE_BYTES } from "../protocol/limits.ts";
import { err, ok, type Result } from "../result.ts";

/**
 * The counselor's accept blob (PROTOCOL.md "Handshake"), carried opaquely by the relay in
 * `accept.handshake`:
 *
 *   version u8 = 1 | counselor ephemeral X25519 pk (32) | u16 BE n | certificate (n)
 *   | Ed25519 signature (64) by the certificate's subject key over the transcript
 */
export const ACCEPT_BLOB_VERSION = 1;

export type AcceptBlob = Readonly<{
  counselorPublicKey: Uint8Array;
  certificate: Uint8Array;
  signature: Uint8Array;
}>;

export function encodeAcceptBlob(blob: AcceptBlob): Uint8Array {
  const n = blob.certificate.length;
  const out = new Uint8Array(1 + 32 + 2 + n + SIGNATURE_BYTES);
  out[0] = ACCEPT_BLOB_VERSION;
  out.set(blob.counselorPublicKey, 1);
  out[33] = n >>> 8;
  out[34] = n & 0xff;
  out.set(blob.certificate, 35);
  out.set(blob.signature, 35 + n);
  return out;
}

/** Never throws; `bad-handshake` for any structural problem. */
export function decodeAcceptBlob(bytes: Uint8Array): Result<AcceptBlob, "bad-handshake"> {
  if (
    !(bytes instanceof Uint8Array) ||
    bytes.length > MAX_HANDSHAKE_BYTES ||
    bytes.length < 35 + SIGNATURE_BYTES
  ) {
    return err("bad-handshake");
  }
  if (bytes[0] !== ACCEPT_BLOB_VERSION) return err("bad-handshake");
  const n = ((bytes[33] ?? 0) << 8) | (bytes[34] ?? 0);
  if (n > MAX_CERTIFICATE_BYTES || bytes.length !== 35 + n + SIGNATURE_BYTES) return err("bad-handshake");
  return ok({
    counselorPublicKey: bytes.slice(1, 33),
    certificate: bytes.slice(35, 35 + n),
    signature: bytes.slice(35 + n),
  });
}
