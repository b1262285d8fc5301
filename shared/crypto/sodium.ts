import libsodium from "libsodium-wrappers";
import { installRandomSource } from "./random.ts";

/**
 * The ONE module that imports libsodium-wrappers (standard build). `ready()` awaits the WASM
 * once and runs a self-check; every other module is synchronous and calls `sodium()`.
 */
export type Sodium = typeof libsodium;

/**
 * Every libsodium function the crypto core calls. The self-check exists because the types
 * lie: the standard build's declarations include `crypto_pwhash`, which only the sumo build
 * has, and a missing function would otherwise surface mid-handshake as "not a function".
 */
export const REQUIRED_FUNCTIONS = [
  "crypto_aead_xchacha20poly1305_ietf_decrypt",
  "crypto_aead_xchacha20poly1305_ietf_encrypt",
  "crypto_box_seal",
  "crypto_box_seal_open",
  "crypto_generichash",
  "crypto_kx_client_session_keys",
  "crypto_kx_seed_keypair",
  "crypto_kx_server_session_keys",
  "crypto_secretstream_xchacha20poly1305_init_pull",
  "crypto_secretstream_xchacha20poly1305_pull",
  "crypto_secretstream_xchacha20poly1305_push",
  "crypto_sign_detached",
  "crypto_sign_ed25519_pk_to_curve25519",
  "crypto_sign_ed25519_sk_to_curve25519",
  "crypto_sign_seed_keypair",
  "crypto_sign_verify_detached",
  "is_zero",
  "memzero",
  "randombytes_buf",
  "randombytes_buf_deterministic",
] as const;

/** Low-level pieces `wipe()` needs to zero secretstream states inside the WASM heap. */
export const REQUIRED_INTERNALS = [
  "HEAPU8",
  "_free",
  "_crypto_secretstream_xchacha20poly1305_statebytes",
] as const;

type Internals = {
  readonly HEAPU8: Uint8Array;
  _free(address: number): void;
  _crypto_secretstream_xchacha20poly1305_statebytes(): number;
};

/**
 * Throws a clear error naming every missing function. Exported so a test can feed it a fake
 * instance with a function removed.
 */
export function checkSodium(
  candidate: unknown,
  functions: readonly string[],
  internals: readonly string[],
): void {
  const record = (candidate ?? {}) as Record<string, unknown>;
  const missing = functions.filter((name) => typeof record[name] !== "function");
  const inner = (record.libsodium ?? {}) as Record<string, unknown>;
  const missingInner = internals.filter((name) => inner[name] === undefined);
  const all = [...missing, ...missingInner.map((name) => `libsodium.${name}`)];
  if (all.length > 0) {
    throw new Error(`crypto self-check failed: this libsodium build lacks ${all.join(", ")}`);
  }
}

/** A secretstream state handle (an address in libsodium's WASM heap). */
export type StreamState = ReturnType<Sodium["crypto_secretstream_xchacha20poly1305_init_pull"]>;

let instance: Sodium | null = null;
let loading: Promise<void> | null = null;

/** Loads libsodium once and checks it. Await before calling anything else in shared/crypto. */
export function ready(): Promise<void> {
  loading ??= (async () => {
    await libsodium.ready;
    checkSodium(libsodium, REQUIRED_FUNCTIONS, REQUIRED_INTERNALS);
    instance = libsodium;
    installRandomSource(libsodium);
  })();
  return loading;
}

/** The ready instance. Calling crypto before `ready()` resolved is a programming error. */
export function sodium(): Sodium {
  if (instance === null) throw new Error("shared/crypto used before `await ready()`");
  return instance;
}

/**
 * Zeroes and frees a secretstream state in the WASM heap. libsodium.js never frees these
 * states, and frees its own temporaries without zeroing; this removes the stream keys at least.
 */
export function destroyStreamState(state: StreamState): void {
  // The declarations say { name, address }; libsodium.js 0.8 hands out the bare heap address.
  const address = typeof state === "number" ? state : (state as { address: number }).address;
  const inner = (sodium() as unknown as { libsodium: Internals }).libsodium;
  const size = inner._crypto_secretstream_xchacha20poly1305_statebytes();
  inner.HEAPU8.fill(0, address, address + size);
  inner._free(address);
}
