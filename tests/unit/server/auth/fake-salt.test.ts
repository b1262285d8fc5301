import { describe, expect, it } from "vitest";
import { fakeSalt } from "../../../../server/auth/fake-salt.ts";
import { keyedHash } from "../../../../server/auth/keyed-hash.ts";

describe("fake salts", () => {
  const secret = new Uint8Array(32).fill(1);

  it("are stable per username and secret, 16 bytes in base64url", () => {
    expect(fakeSalt(secret, "ayesha")).toBe(fakeSalt(secret, "ayesha"));
    expect(fakeSalt(secret, "ayesha")).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(fakeSalt(secret, "ayesha"), "base64url")).toHaveLength(16);
    expect(fakeSalt(secret, "ayesha")).not.toBe(fakeSalt(secret, "bilal"));
    expect(fakeSalt(secret, "ayesha")).not.toBe(fakeSalt(new Uint8Array(32).fill(2), "ayesha"));
  });

  it("separates purposes and part boundaries", () => {
    expect(keyedHash(secret, "a", "bc")).not.toEqual(keyedHash(secret, "a", "b", "c"));
    expect(keyedHash(secret, "fake-salt", "x")).not.toEqual(keyedHash(secret, "client", "x"));
  });
});
