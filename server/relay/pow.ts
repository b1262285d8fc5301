import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { formatChallenge, type ParsedChallenge, challengeBody, verifyWork } from "../../shared/pow/index.ts";
import { type Challenge, POW_CHALLENGE_TTL_MS, type ProofOfWork } from "../../shared/protocol/index.ts";
import type { Result } from "../../shared/result.ts";
import { err, ok } from "../../shared/result.ts";
import type { RelayStore } from "../state/store.ts";

export type PowError = "pow-invalid" | "pow-expired";

const nodeSha256 = (bytes: Uint8Array) => new Uint8Array(createHash("sha256").update(bytes).digest());

/**
 * Mints and checks proof-of-work challenges. The MAC key is derived from the relay secret with a
 * label, so the same secret used for rate-limit hashing never yields the same MAC.
 */
export class PowIssuer {
  readonly #key: Buffer;
  readonly #store: RelayStore;
  readonly #ttlMs: number;

  constructor(secret: Uint8Array, store: RelayStore, ttlMs = POW_CHALLENGE_TTL_MS) {
    this.#key = createHmac("sha256", secret).update("sahara/pow/v1").digest();
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  #mac(body: string): string {
    return createHmac("sha256", this.#key).update(body).digest("base64url");
  }

  issue(difficulty: number, now: number): Challenge {
    const fields = {
      difficulty,
      expiresAt: now + this.#ttlMs,
      random: randomBytes(16).toString("base64url"),
    };
    return {
      challenge: formatChallenge(fields, this.#mac(challengeBody(fields))),
      difficulty,
      expiresAt: fields.expiresAt,
    };
  }

  /** Checks MAC, expiry and work, then spends the challenge (single use). */
  async redeem(pow: ProofOfWork, now: number): Promise<Result<ParsedChallenge, PowError>> {
    const work = verifyWork(pow.challenge, pow.nonce, nodeSha256);
    if (!work.ok) return err("pow-invalid");
    const { mac, body, expiresAt, random } = work.value;
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return err("pow-invalid");
    if (expiresAt <= now) return err("pow-expired");
    if (!(await this.#store.markSpent(`pow:${random}`, expiresAt))) return err("pow-invalid");
    return ok(work.value);
  }
}
