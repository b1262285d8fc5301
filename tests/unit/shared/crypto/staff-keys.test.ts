import { beforeAll, describe, expect, it } from "vitest";
import {
  deriveStaffKeys,
  generateIdentityKeyPair,
  STAFF_KDF_PROFILE_FOR_TESTING,
  unwrapSecretKey,
  wrapSecretKey,
} from "../../../../shared/crypto/staff/index.ts";
import type { StaffId } from "../../../../shared/protocol/ids.ts";
import { cryptoReady, mustOk } from "../../../support/crypto-kit.ts";

beforeAll(cryptoReady);

const salt = new Uint8Array(16).fill(1);
const staffId = "staff-1" as StaffId;
const derive = (password: string, s = salt) =>
  mustOk(deriveStaffKeys(password, s, STAFF_KDF_PROFILE_FOR_TESTING));

describe("staff keys", () => {
  it("derives a deterministic, independent auth key and wrapping key", () => {
    const a = derive("correct horse");
    expect(derive("correct horse")).toEqual(a);
    expect(a.authKey).toHaveLength(32);
    expect(a.wrappingKey).toHaveLength(32);
    expect(a.authKey).not.toEqual(a.wrappingKey);
    expect(derive("correct horsf").authKey).not.toEqual(a.authKey);
    expect(derive("correct horse", new Uint8Array(16).fill(2)).authKey).not.toEqual(a.authKey);
  });

  it("normalizes the password (NFC) so composed and decomposed input agree", () => {
    expect(derive("caf\u00e9")).toEqual(derive("cafe\u0301"));
  });

  it("refuses bad parameters instead of throwing", () => {
    expect(deriveStaffKeys("pw", new Uint8Array(15), STAFF_KDF_PROFILE_FOR_TESTING)).toEqual({
      ok: false,
      error: "bad-parameters",
    });
    expect(deriveStaffKeys("pw", salt, { opsLimit: 0, memLimitBytes: 8192 })).toEqual({
      ok: false,
      error: "bad-parameters",
    });
  });

  it("wraps and unwraps a secret key; a wrong password or context fails", () => {
    const keys = derive("pw");
    const identity = generateIdentityKeyPair();
    const wrapped = wrapSecretKey(keys.wrappingKey, identity.secretKey, { purpose: "identity", staffId });
    expect(wrapped).toHaveLength(1 + 24 + 64 + 16);
    expect(mustOk(unwrapSecretKey(keys.wrappingKey, wrapped, { purpose: "identity", staffId }))).toEqual(
      identity.secretKey,
    );
    expect(unwrapSecretKey(derive("wrong").wrappingKey, wrapped, { purpose: "identity", staffId })).toEqual({
      ok: false,
      error: "unwrap-failed",
    });
    expect(unwrapSecretKey(keys.wrappingKey, wrapped, { purpose: "org", staffId })).toEqual({
      ok: false,
      error: "unwrap-failed",
    });
    expect(
      unwrapSecretKey(keys.wrappingKey, wrapped, { purpose: "identity", staffId: "staff-2" as StaffId }),
    ).toEqual({
      ok: false,
      error: "unwrap-failed",
    });
    const flipped = wrapped.slice();
    flipped[40]! ^= 1;
    expect(unwrapSecretKey(keys.wrappingKey, flipped, { purpose: "identity", staffId })).toEqual({
      ok: false,
      error: "unwrap-failed",
    });
    expect(unwrapSecretKey(keys.wrappingKey, wrapped.slice(0, 30), { purpose: "identity", staffId })).toEqual(
      {
        ok: false,
        error: "bad-encoding",
      },
    );
  });

  it("uses a fresh nonce per wrap", () => {
    const keys = derive("pw");
    const secret = new Uint8Array(64).fill(5);
    const a = wrapSecretKey(keys.wrappingKey, secret, { purpose: "org", staffId });
    const b = wrapSecretKey(keys.wrappingKey, secret, { purpose: "org", staffId });
    expect(a.subarray(1, 25)).not.toEqual(b.subarray(1, 25));
  });
});
