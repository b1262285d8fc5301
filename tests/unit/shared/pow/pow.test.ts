import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  admissionDifficulty,
  formatChallenge,
  leadingZeroBits,
  parseChallenge,
  powInput,
  solve,
  toBase64url,
  verifyWork,
} from "../../../../shared/pow/index.ts";
import {
  POW_ADMISSION_MAX_DIFFICULTY,
  POW_FREE_JOINS_PER_MINUTE,
  POW_MAX_DIFFICULTY,
  POW_MIN_DIFFICULTY,
  POW_WAITING_PER_BIT,
} from "../../../../shared/protocol/limits.ts";

const random = toBase64url(Uint8Array.from({ length: 16 }, (_, i) => i * 7));
const mac = toBase64url(Uint8Array.from({ length: 32 }, (_, i) => 255 - i));
const challenge = (difficulty: number, expiresAt = 1_800_000_000_000) =>
  formatChallenge({ difficulty, expiresAt, random }, mac);
const nodeSha = (bytes: Uint8Array) => new Uint8Array(createHash("sha256").update(bytes).digest());

describe("proof-of-work", () => {
  it("round-trips the challenge format", () => {
    const parsed = parseChallenge(challenge(9, 123));
    expect(parsed).toEqual({
      ok: true,
      value: { difficulty: 9, expiresAt: 123, random, mac, body: `v1.9.123.${random}` },
    });
  });

  it("rejects malformed challenges without throwing", () => {
    for (const bad of [
      undefined,
      3,
      "",
      "v1.9.1",
      `v2.9.1.${random}.${mac}`,
      `${challenge(9)}x`,
      challenge(99),
    ]) {
      expect(parseChallenge(bad)).toEqual({ ok: false, error: "bad-challenge" });
    }
    fc.assert(fc.property(fc.anything(), (x) => parseChallenge(x).ok === false || typeof x === "string"));
  });

  it("counts leading zero bits", () => {
    expect(leadingZeroBits(Uint8Array.of(0, 0, 0x10))).toBe(19);
    expect(leadingZeroBits(Uint8Array.of(0x80))).toBe(0);
    expect(leadingZeroBits(Uint8Array.of(0, 1))).toBe(15);
    expect(leadingZeroBits(new Uint8Array(4))).toBe(32);
  });

  it("solves, and the solution verifies with node:crypto and the pure hash", async () => {
    for (const difficulty of [1, 8, 14]) {
      const c = challenge(difficulty);
      const nonce = await solve(c);
      if (!nonce.ok) throw new Error(nonce.error);
      expect(leadingZeroBits(nodeSha(powInput(c, nonce.value)))).toBeGreaterThanOrEqual(difficulty);
      expect(verifyWork(c, nonce.value, nodeSha).ok).toBe(true);
      expect(verifyWork(c, nonce.value).ok).toBe(true);
    }
  });

  it("rejects a nonce that does not meet the difficulty, or a solution moved to another challenge", async () => {
    const c = challenge(16);
    const nonce = await solve(c);
    if (!nonce.ok) throw new Error(nonce.error);
    const other = formatChallenge({ difficulty: 16, expiresAt: 1_800_000_000_001, random }, mac);
    // 2^-16 chance that the same nonce also solves the other challenge; the fixed inputs here do not.
    expect(verifyWork(other, nonce.value, nodeSha)).toEqual({ ok: false, error: "insufficient-work" });
    const zero = new Uint8Array(8);
    const zeroWorks = leadingZeroBits(nodeSha(powInput(c, zero))) >= 16;
    expect(verifyWork(c, zero, nodeSha).ok).toBe(zeroWorks);
  });

  it("reports progress and can be cancelled", async () => {
    const signal = { aborted: false };
    const seen: number[] = [];
    const result = await solve(challenge(POW_MAX_DIFFICULTY), {
      batchSize: 256,
      signal,
      onProgress: (tried, expected) => {
        seen.push(tried);
        expect(expected).toBe(2 ** POW_MAX_DIFFICULTY);
        if (seen.length === 3) signal.aborted = true;
      },
    });
    expect(result).toEqual({ ok: false, error: "cancelled" });
    expect(seen).toEqual([256, 512, 768]);
  });

  it("gives up after maxHashes", async () => {
    expect(await solve(challenge(POW_MAX_DIFFICULTY), { maxHashes: 1000 })).toEqual({
      ok: false,
      error: "exhausted",
    });
  });

  it("raises difficulty with the queue and the join rate, within the admission cap", () => {
    const d = (waiting: number, joinsPerMinute: number) => admissionDifficulty({ waiting, joinsPerMinute });
    expect(d(0, 0)).toBe(POW_MIN_DIFFICULTY);
    expect(d(0, POW_FREE_JOINS_PER_MINUTE)).toBe(POW_MIN_DIFFICULTY);
    expect(d(0, POW_FREE_JOINS_PER_MINUTE * 2)).toBe(POW_MIN_DIFFICULTY + 1);
    expect(d(0, POW_FREE_JOINS_PER_MINUTE * 16)).toBe(POW_MIN_DIFFICULTY + 4);
    expect(d(POW_WAITING_PER_BIT * 2, 0)).toBe(POW_MIN_DIFFICULTY + 2);
    expect(d(10_000, 1e9)).toBe(POW_ADMISSION_MAX_DIFFICULTY);
    expect(POW_ADMISSION_MAX_DIFFICULTY).toBeLessThanOrEqual(POW_MAX_DIFFICULTY);
    for (let n = 0; n < 600; n++) {
      expect(d(n + 1, n)).toBeGreaterThanOrEqual(d(n, n));
      expect(d(n, n + 1)).toBeGreaterThanOrEqual(d(n, n));
    }
  });

  it("encodes base64url like node", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(toBase64url(b)).toBe(Buffer.from(b).toString("base64url"));
      }),
    );
  });
});
