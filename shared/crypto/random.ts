/**
 * The single source of randomness for keys, seeds and nonces in shared/crypto (and staff/).
 * Fixed randomness exists only behind `useDeterministicRandomForTesting`, whose name warns:
 * the vector generator and known-answer tests use it, nothing else may.
 */
type RandomPrimitives = Readonly<{
  randombytes_buf: (length: number) => Uint8Array;
  randombytes_buf_deterministic: (length: number, seed: Uint8Array) => Uint8Array;
  crypto_generichash: (length: number, message: Uint8Array, key: Uint8Array | null) => Uint8Array;
}>;

let primitives: RandomPrimitives | null = null;
let testingSeed: Uint8Array | null = null;
let testingCounter = 0;

/** Called by `ready()` in sodium.ts. */
export function installRandomSource(source: RandomPrimitives): void {
  primitives = source;
}

/** `length` random bytes from libsodium (costly: ~150 µs a call on Node; keep out of hot loops). */
export function randomBytes(length: number): Uint8Array {
  if (primitives === null) throw new Error("shared/crypto used before `await ready()`");
  if (testingSeed === null) return primitives.randombytes_buf(length);
  // Call i draws from a seed of its own: BLAKE2b-256(key = seed, message = u64 BE i).
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(testingCounter++));
  return primitives.randombytes_buf_deterministic(
    length,
    primitives.crypto_generichash(32, counter, testingSeed),
  );
}

/**
 * Makes every later `randomBytes` call deterministic from `seed` (32 bytes), or restores real
 * randomness with `null`. NEVER call this outside tests and the vector generator.
 */
export function useDeterministicRandomForTesting(seed: Uint8Array | null): void {
  if (seed !== null && seed.length !== 32) throw new Error("testing seed must be 32 bytes");
  testingSeed = seed === null ? null : seed.slice();
  testingCounter = 0;
}
