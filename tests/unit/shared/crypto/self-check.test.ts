import libsodium from "libsodium-wrappers";
import { describe, expect, it } from "vitest";
import {
  checkSodium,
  REQUIRED_FUNCTIONS,
  REQUIRED_INTERNALS,
  ready,
} from "../../../../shared/crypto/sodium.ts";
import { REQUIRED_SUMO_FUNCTIONS } from "../../../../shared/crypto/staff/sodium-sumo.ts";

describe("libsodium self-check", () => {
  it("accepts the real standard build", async () => {
    await ready();
    expect(() => checkSodium(libsodium, REQUIRED_FUNCTIONS, REQUIRED_INTERNALS)).not.toThrow();
  });

  it("names a function missing from a fake instance", async () => {
    await ready();
    const fake: Record<string, unknown> = { ...libsodium };
    delete fake.crypto_kx_client_session_keys;
    expect(() => checkSodium(fake, REQUIRED_FUNCTIONS, REQUIRED_INTERNALS)).toThrow(
      "crypto self-check failed: this libsodium build lacks crypto_kx_client_session_keys",
    );
  });

  it("names missing heap internals (needed to wipe stream states)", () => {
    const fake: Record<string, unknown> = { ...libsodium, libsodium: {} };
    expect(() => checkSodium(fake, [], REQUIRED_INTERNALS)).toThrow(/libsodium\.HEAPU8.*libsodium\._free/);
  });

  it("catches crypto_pwhash missing from the standard build although its types declare it", async () => {
    await ready();
    expect(() => checkSodium(libsodium, REQUIRED_SUMO_FUNCTIONS, [])).toThrow(/lacks crypto_pwhash/);
  });
});
