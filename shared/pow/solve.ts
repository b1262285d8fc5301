import { POW_NONCE_BYTES } from "../protocol/limits.ts";
import { err, ok, type Result } from "../result.ts";
import { leadingZeroBits, parseChallenge } from "./challenge.ts";
import { compress, digestOf, initialState, padTail } from "./sha256.ts";

/** Structural subset of AbortSignal, so shared/ needs no DOM types. */
export type CancelSignal = Readonly<{ aborted: boolean }>;

export type SolveOptions = Readonly<{
  /** Called after every batch with hashes tried so far and the expected total (2^difficulty). */
  onProgress?: (tried: number, expected: number) => void;
  signal?: CancelSignal;
  /** Hashes between yields. */
  batchSize?: number;
  /** How to yield between batches (a worker passes a macrotask so cancel messages get through). */
  pause?: () => Promise<void>;
  /** Give up after this many hashes (the challenge will have expired long before 2^32). */
  maxHashes?: number;
}>;

export type SolveError = "bad-challenge" | "cancelled" | "exhausted";

const encoder = new TextEncoder();

/**
 * Finds an 8-byte nonce (big-endian counter) such that SHA-256(challenge || nonce) has at least
 * the challenge's difficulty in leading zero bits. The hash state after the challenge's whole
 * 64-byte blocks is computed once, so each attempt costs one or two compressions.
 */
export async function solve(
  challenge: string,
  options: SolveOptions = {},
): Promise<Result<Uint8Array, SolveError>> {
  const parsed = parseChallenge(challenge);
  if (!parsed.ok) return parsed;
  const { difficulty } = parsed.value;
  const prefix = encoder.encode(challenge);
  const full = prefix.length - (prefix.length % 64);
  const midstate = initialState();
  for (let offset = 0; offset < full; offset += 64) compress(midstate, prefix, offset);

  const tailLength = prefix.length - full + POW_NONCE_BYTES;
  const tail = padTail(new Uint8Array(tailLength), prefix.length + POW_NONCE_BYTES);
  tail.set(prefix.subarray(full));
  const at = prefix.length - full;
  const state = new Uint32Array(8);

  const batchSize = options.batchSize ?? 4096;
  const maxHashes = options.maxHashes ?? 2 ** 32;
  const expected = 2 ** difficulty;
  const pause = options.pause ?? (() => Promise.resolve());
  for (let counter = 0; counter < maxHashes; ) {
    const end = Math.min(maxHashes, counter + batchSize);
    for (; counter < end; counter++) {
      tail[at + 4] = counter >>> 24;
      tail[at + 5] = counter >>> 16;
      tail[at + 6] = counter >>> 8;
      tail[at + 7] = counter;
      state.set(midstate);
      for (let offset = 0; offset < tail.length; offset += 64) compress(state, tail, offset);
      // Cheap pre-check on the first word before building the digest.
      if (
        Math.clz32(state[0]!) >= Math.min(32, difficulty) &&
        leadingZeroBits(digestOf(state)) >= difficulty
      ) {
        return ok(tail.slice(at, at + POW_NONCE_BYTES));
      }
    }
    options.onProgress?.(counter, expected);
    if (options.signal?.aborted) return err("cancelled");
    await pause();
    if (options.signal?.aborted) return err("cancelled");
  }
  return err("exhausted");
}
