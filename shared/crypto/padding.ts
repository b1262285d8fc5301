import { PADDING_BUCKETS } from "../protocol/limits.ts";
import { err, ok, type Result } from "../result.ts";

/**
 * Length-hiding padding (PROTOCOL.md "Padding"): u16 BE payload length | payload | zeros up to
 * the smallest bucket that fits. The relay then learns only the bucket, not the length. Zeros,
 * not random bytes: the padding is encrypted anyway, and randombytes costs ~150 µs a call.
 */
export const LENGTH_PREFIX_BYTES = 2;

/** Largest payload that fits the largest bucket. */
export function maxPayloadBytes(buckets: readonly number[] = PADDING_BUCKETS): number {
  return (buckets[buckets.length - 1] ?? 0) - LENGTH_PREFIX_BYTES;
}

/** `prefix` 4 (u32 BE length) is for the large handover buckets; frames use the u16 default. */
export function pad(
  payload: Uint8Array,
  buckets: readonly number[] = PADDING_BUCKETS,
  prefix: 2 | 4 = LENGTH_PREFIX_BYTES,
): Result<Uint8Array, "too-large"> {
  const size = buckets.find((bucket) => bucket >= payload.length + prefix);
  if (size === undefined || payload.length > (prefix === 2 ? 0xffff : 0xffffffff)) return err("too-large");
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  if (prefix === 2) view.setUint16(0, payload.length);
  else view.setUint32(0, payload.length);
  out.set(payload, prefix);
  return ok(out);
}

/**
 * Strict inverse of `pad`: the size must be a bucket, the length must fit, and every padding
 * byte must be zero, so one payload has exactly one padded form. Never throws.
 */
export function unpad(
  padded: Uint8Array,
  buckets: readonly number[] = PADDING_BUCKETS,
  prefix: 2 | 4 = LENGTH_PREFIX_BYTES,
): Result<Uint8Array, "bad-padding"> {
  if (padded.length < prefix) return err("bad-padding");
  const view = new DataView(padded.buffer, padded.byteOffset, padded.byteLength);
  const length = prefix === 2 ? view.getUint16(0) : view.getUint32(0);
  const end = prefix + length;
  // The size must be exactly the smallest bucket that fits (which also bounds `end`).
  if (buckets.find((bucket) => bucket >= end) !== padded.length) return err("bad-padding");
  let extra = 0;
  for (let i = end; i < padded.length; i++) extra |= padded[i] ?? 0;
  if (extra !== 0) return err("bad-padding");
  return ok(padded.slice(prefix, end));
}
