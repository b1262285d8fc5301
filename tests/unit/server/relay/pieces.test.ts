import { randomBytes } from "node:crypto";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { solve, verifyWork } from "../../../../shared/pow/index.ts";
import { POW_CHALLENGE_TTL_MS } from "../../../../shared/protocol/index.ts";
import { PowIssuer } from "../../../../server/relay/pow.ts";
import { TokenBucket } from "../../../../server/relay/rate-limit.ts";
import { safeReply } from "../../../../server/relay/safe-handler.ts";
import { hashToken, newResumeToken, newSessionId, tokenMatches } from "../../../../server/relay/tokens.ts";
import { classifyFrame, relayError, wire } from "../../../../server/relay/wire.ts";
import { MemoryStore } from "../../../../server/state/memory-store.ts";

const logger = pino({ level: "silent" });

describe("TokenBucket", () => {
  it("allows a burst, then refills at the configured rate", () => {
    const bucket = new TokenBucket(3, 2, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.take(499)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(10_000)).toBe(true);
    expect([bucket.take(10_000), bucket.take(10_000), bucket.take(10_000)]).toEqual([true, true, false]);
  });
});

describe("PowIssuer", () => {
  const secret = new Uint8Array(randomBytes(32));

  async function solved(issuer: PowIssuer, now: number) {
    const c = issuer.issue(6, now);
    const nonce = await solve(c.challenge);
    if (!nonce.ok) throw new Error(nonce.error);
    return { challenge: c.challenge, nonce: nonce.value };
  }

  it("accepts its own solved challenge once", async () => {
    const issuer = new PowIssuer(secret, new MemoryStore(() => 0));
    const pow = await solved(issuer, 0);
    expect((await issuer.redeem(pow, 1)).ok).toBe(true);
    expect(await issuer.redeem(pow, 2)).toEqual({ ok: false, error: "pow-invalid" });
  });

  it("refuses expired, forged and other relays' challenges", async () => {
    const issuer = new PowIssuer(secret, new MemoryStore(() => 0));
    const pow = await solved(issuer, 0);
    expect(await issuer.redeem(pow, POW_CHALLENGE_TTL_MS)).toEqual({ ok: false, error: "pow-expired" });
    const other = new PowIssuer(new Uint8Array(randomBytes(32)), new MemoryStore(() => 0));
    expect(await other.redeem(await solved(issuer, 0), 1)).toEqual({ ok: false, error: "pow-invalid" });
    // Lowering the difficulty in the string breaks the MAC.
    const easier = pow.challenge.replace(/^v1\.6\./, "v1.1.");
    expect(await issuer.redeem({ challenge: easier, nonce: pow.nonce }, 1)).toEqual({
      ok: false,
      error: "pow-invalid",
    });
    // A nonce that does not do the work. A fixed nonce would meet a 6-bit target by chance once in
    // 64 runs, so search for one that verifiably falls short.
    const lazy = new Uint8Array(8);
    for (let i = 0; verifyWork(pow.challenge, lazy).ok; i++) new DataView(lazy.buffer).setUint32(4, i + 1);
    expect(await issuer.redeem({ challenge: pow.challenge, nonce: lazy }, 1)).toMatchObject({
      ok: false,
    });
  });
});

describe("tokens", () => {
  it("mints ids of the protocol's sizes and matches tokens by hash", () => {
    expect(newSessionId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const token = newResumeToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenMatches(token, hashToken(token))).toBe(true);
    expect(tokenMatches(newResumeToken(), hashToken(token))).toBe(false);
    expect(tokenMatches(token, new Uint8Array(5))).toBe(false);
  });
});

describe("wire helpers", () => {
  it("emit exactly the bytes of a view, never its whole backing buffer", () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    const out = wire(backing.subarray(1, 4));
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(new Uint8Array(out)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("classify oversized frames and name a refused frame only when well-formed", () => {
    expect(classifyFrame({ ciphertext: new Uint8Array(5000) })).toBe("frame-too-large");
    expect(classifyFrame({ ciphertext: "x" })).toBe("bad-request");
    expect(classifyFrame(null)).toBe("bad-request");
    const sessionId = "A".repeat(22);
    expect(relayError("peer-offline", { sessionId, seq: 3, extra: 1 })).toEqual({
      code: "peer-offline",
      sessionId,
      seq: 3,
    });
    expect(relayError("bad-request", { sessionId: "<script>", seq: -1 })).toEqual({ code: "bad-request" });
    expect(relayError("bad-request", 42)).toEqual({ code: "bad-request" });
  });
});

describe("safeReply", () => {
  it("ignores a missing or non-function callback and survives a throwing one", () => {
    expect(safeReply(undefined, logger)).toBeNull();
    expect(safeReply(42, logger)).toBeNull();
    expect(safeReply("x", logger)).toBeNull();
    const seen: unknown[] = [];
    safeReply((r: unknown) => seen.push(r), logger)?.({ ok: false, error: "bad-request" });
    expect(seen).toEqual([{ ok: false, error: "bad-request" }]);
    const throwing = safeReply(() => {
      throw new Error("client gone");
    }, logger);
    expect(throwing).not.toBeNull();
    expect(() => throwing?.({ ok: true })).not.toThrow();
  });
});
