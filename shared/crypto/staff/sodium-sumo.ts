import sumo from "libsodium-wrappers-sumo";
import { checkSodium, ready as readyCore } from "../sodium.ts";

/**
 * The ONE module that imports libsodium-wrappers-sumo, for `crypto_pwhash` (Argon2id), which
 * the standard build lacks although its types declare it. Only the console reaches this: the
 * survivor bundle never imports shared/crypto/staff (tests/architecture enforces it).
 */
export type SodiumSumo = typeof sumo;

export const REQUIRED_SUMO_FUNCTIONS = ["crypto_pwhash", "crypto_kdf_derive_from_key", "memzero"] as const;

let instance: SodiumSumo | null = null;
let loading: Promise<void> | null = null;

/** Loads the core (standard build) and the sumo build, and checks both. */
export function ready(): Promise<void> {
  loading ??= (async () => {
    await Promise.all([readyCore(), sumo.ready]);
    checkSodium(sumo, REQUIRED_SUMO_FUNCTIONS, []);
    instance = sumo;
  })();
  return loading;
}

export function sodiumSumo(): SodiumSumo {
  if (instance === null) throw new Error("shared/crypto/staff used before `await ready()`");
  return instance;
}
