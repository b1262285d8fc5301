import { describe, expect, it } from "vitest";
import { usernameSalt } from "../../../../server/auth/username-salt.ts";
import { keyedHash } from "../../../../server/auth/keyed-hash.ts";

describe("fake salts", () => {
  const secret = new Uint8Array(32).fill(1);

  it("are stable per username and secret, 16 bytes in base64url", () => {
    expect(usernameSalt(secret, "ayesha")).toBe(usernameSalt(secret, "ayesha"));
    expect(usernameSalt(secret, "ayesha")).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(usernameSalt(secret, "ayesha"), "base64url")).toHaveLength(16);
    expect(usernameSalt(secret, "ayesha")).not.toBe(usernameSalt(secret, "bilal"));
    expect(usernameSalt(secret, "ayesha")).not.toBe(usernameSalt(new Uint8Array(32).fill(2), "ayesha"));
  });

  it("separates purposes and part boundaries", () => {
    expect(keyedHash(secret, "a", "bc")).not.toEqual(keyedHash(secret, "a", "b", "c"));
    expect(keyedHash(secret, "fake-salt", "x")).not.toEqual(keyedHash(secret, "client", "x"));
  });
});
