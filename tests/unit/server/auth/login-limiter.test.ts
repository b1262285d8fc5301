import { describe, expect, it } from "vitest";
import { createLoginLimiter } from "../../../../server/auth/login-limiter.ts";

const policy = {
  maxFailuresPerUser: 3,
  maxFailuresPerClient: 5,
  maxFailuresPerDevice: 2,
  windowMs: 60_000,
  lockoutMs: 120_000,
};

describe("login limiter", () => {
  const secret = new Uint8Array(32).fill(9);
  const attempt = (username: string, client: string, device: string | null = null) => ({
    username,
    client,
    device,
  });

  it("counts an attempt when it starts: the limit holds however many run at once", () => {
    const clock = { t: 1_000_000 };
    const limiter = createLoginLimiter(secret, () => clock.t, policy);
    const client = limiter.clientKey("203.0.113.5");
    // Nothing has failed yet (no attempt has finished), and still only three may go ahead.
    const admitted = Array.from({ length: 10 }, () => limiter.begin(attempt("ayesha", client)));
    expect(admitted.filter(Boolean)).toHaveLength(3);
    expect(limiter.isLocked("ayesha", limiter.clientKey("198.51.100.7"))).toBe(true);
    expect(limiter.isLocked("bilal", limiter.clientKey("198.51.100.7"))).toBe(false);
    clock.t += 120_001;
    expect(limiter.isLocked("ayesha", client)).toBe(false);
  });

  it("locks a client that spreads guesses over many usernames", () => {
    const limiter = createLoginLimiter(secret, () => 0, policy);
    const client = limiter.clientKey("203.0.113.5");
    for (let i = 0; i < 5; i++) expect(limiter.begin(attempt(`user${i}`, client))).toBe(true);
    expect(limiter.begin(attempt("someone-new", client))).toBe(false);
    expect(limiter.begin(attempt("someone-new", limiter.clientKey("203.0.113.6")))).toBe(true);
  });

  it("a known device passes someone else's lockout of the username and the client", () => {
    const limiter = createLoginLimiter(secret, () => 0, policy);
    const proxy = limiter.clientKey("10.0.0.1");
    for (let i = 0; i < 20; i++) limiter.begin(attempt("admin", proxy));
    expect(limiter.isLocked("admin", proxy)).toBe(true);
    expect(limiter.begin(attempt("admin", proxy))).toBe(false);
    expect(limiter.begin(attempt("admin", proxy, "device-a"))).toBe(true);
    limiter.succeed(attempt("admin", proxy, "device-a"));
    // A device that keeps failing is counted on its own and then treated as unknown (locked).
    expect(limiter.begin(attempt("admin", proxy, "device-b"))).toBe(true);
    expect(limiter.begin(attempt("admin", proxy, "device-b"))).toBe(true);
    expect(limiter.begin(attempt("admin", proxy, "device-b"))).toBe(false);
    expect(limiter.begin(attempt("admin", proxy, "device-a"))).toBe(true);
  });

  it("forgets attempts outside the window and after a success", () => {
    const clock = { t: 0 };
    const limiter = createLoginLimiter(secret, () => clock.t, policy);
    const client = limiter.clientKey("x");
    limiter.begin(attempt("u", client));
    limiter.begin(attempt("u", client));
    clock.t += 60_001;
    limiter.begin(attempt("u", client));
    expect(limiter.isLocked("u", client)).toBe(false);
    limiter.begin(attempt("u", client));
    limiter.succeed(attempt("u", client));
    limiter.begin(attempt("u", client));
    limiter.begin(attempt("u", client));
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
