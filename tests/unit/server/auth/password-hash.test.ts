import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dummyHash, hashAuthKey, verifyAuthKey } from "../../../../server/auth/password-hash.ts";

const cost = { log2N: 10, r: 8, p: 1 };

describe("auth key hashing", () => {
  it("verifies the right key and rejects a wrong one", async () => {
    const key = new Uint8Array(randomBytes(32));
    const stored = await hashAuthKey(key, cost);
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyAuthKey(key, stored)).toBe(true);
    const flipped = key.slice();
    flipped[0]! ^= 1;
    expect(await verifyAuthKey(flipped, stored)).toBe(false);
  });

  it("salts every hash", async () => {
    const key = new Uint8Array(32);
    expect(await hashAuthKey(key, cost)).not.toBe(await hashAuthKey(key, cost));
  });

  it("treats malformed or absurd stored values as a mismatch, never a throw", async () => {
    const key = new Uint8Array(32);
    for (const stored of [
      "",
      "scrypt",
      "bcrypt$1$2$3$4$5",
      "scrypt$30$8$1$AAAA$AAAA",
      "scrypt$x$8$1$AAAA$AAAA",
    ]) {
      expect(await verifyAuthKey(key, stored)).toBe(false);
    }
    expect(await verifyAuthKey(key, dummyHash(cost))).toBe(false);
  });
});
