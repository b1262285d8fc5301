import { describe, expect, it } from "vitest";
import { createLoginLimiter } from "../../../../server/auth/login-limiter.ts";

const policy = { maxFailuresPerUser: 3, maxFailuresPerClient: 5, windowMs: 60_000, lockoutMs: 120_000 };

describe("login limiter", () => {
  const secret = new Uint8Array(32).fill(9);

  it("locks a username after repeated failures, until the lockout ends", () => {
    const clock = { t: 1_000_000 };
    const limiter = createLoginLimiter(secret, () => clock.t, policy);
    const client = limiter.clientKey("203.0.113.5");
    for (let i = 0; i < 2; i++) limiter.recordFailure("ayesha", client);
    expect(limiter.isLocked("ayesha", client)).toBe(false);
    limiter.recordFailure("ayesha", client);
    expect(limiter.isLocked("ayesha", client)).toBe(true);
    expect(limiter.isLocked("ayesha", limiter.clientKey("198.51.100.7"))).toBe(true);
    expect(limiter.isLocked("bilal", limiter.clientKey("198.51.100.7"))).toBe(false);
    clock.t += 120_001;
    expect(limiter.isLocked("ayesha", client)).toBe(false);
  });

  it("locks a client that spreads guesses over many usernames", () => {
    const limiter = createLoginLimiter(secret, () => 0, policy);
    const client = limiter.clientKey("203.0.113.5");
    for (let i = 0; i < 5; i++) limiter.recordFailure(`user${i}`, client);
    expect(limiter.isLocked("someone-new", client)).toBe(true);
    expect(limiter.isLocked("someone-new", limiter.clientKey("203.0.113.6"))).toBe(false);
  });

  it("forgets failures outside the window and after a success", () => {
    const clock = { t: 0 };
    const limiter = createLoginLimiter(secret, () => clock.t, policy);
    const client = limiter.clientKey("x");
    limiter.recordFailure("u", client);
    limiter.recordFailure("u", client);
    clock.t += 60_001;
    limiter.recordFailure("u", client);
    expect(limiter.isLocked("u", client)).toBe(false);
    limiter.recordFailure("u", client);
    limiter.recordSuccess("u");
    limiter.recordFailure("u", client);
    expect(limiter.isLocked("u", client)).toBe(false);
  });

  it("keys clients by a keyed hash that hides the address and rotates daily", () => {
    const clock = { t: 0 };
    const limiter = createLoginLimiter(secret, () => clock.t, policy);
    const today = limiter.clientKey("203.0.113.5");
    expect(today).not.toContain("203");
    expect(limiter.clientKey("203.0.113.5")).toBe(today);
    clock.t += 86_400_000;
    expect(limiter.clientKey("203.0.113.5")).not.toBe(today);
    const other = createLoginLimiter(new Uint8Array(32), () => 0, policy);
    expect(other.clientKey("203.0.113.5")).not.toBe(today);
  });
});
