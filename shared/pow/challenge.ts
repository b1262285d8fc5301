import {
  POW_ADMISSION_MAX_DIFFICULTY,
  POW_FREE_JOINS_PER_MINUTE,
  POW_MAX_DIFFICULTY,
  POW_MIN_DIFFICULTY,
  POW_WAITING_PER_BIT,
} from "../protocol/limits.ts";
import { err, ok, type Result } from "../result.ts";

/**
 * A proof-of-work challenge is one printable string the relay mints and later checks:
 *
 *   v1.<difficulty>.<expiresAt ms>.<random 16 bytes b64url>.<HMAC-SHA256 b64url>
 *
 * The MAC (keyed with a relay secret, over everything before the last dot) is what stops a
 * flooder from minting easy or never-expiring challenges; the random part makes every challenge
 * distinct so the relay's spent-set can refuse reuse. The solver treats the whole string as
 * opaque input and only reads the difficulty from it.
 */
export const CHALLENGE_VERSION = "v1";

export type ChallengeFields = Readonly<{ difficulty: number; expiresAt: number; random: string }>;
export type ParsedChallenge = ChallengeFields & Readonly<{ body: string; mac: string }>;

const pattern = /^v1\.(\d{1,2})\.(\d{1,15})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** The part the MAC covers. */
export function challengeBody(fields: ChallengeFields): string {
  return `${CHALLENGE_VERSION}.${fields.difficulty}.${fields.expiresAt}.${fields.random}`;
}

export function formatChallenge(fields: ChallengeFields, mac: string): string {
  return `${challengeBody(fields)}.${mac}`;
}

/** Syntax only: the relay still checks the MAC, the expiry and the spent-set. Never throws. */
export function parseChallenge(challenge: unknown): Result<ParsedChallenge, "bad-challenge"> {
  if (typeof challenge !== "string") return err("bad-challenge");
  const m = pattern.exec(challenge);
  if (!m) return err("bad-challenge");
  const difficulty = Number(m[1]);
  const expiresAt = Number(m[2]);
  if (difficulty < 1 || difficulty > POW_MAX_DIFFICULTY || !Number.isSafeInteger(expiresAt)) {
    return err("bad-challenge");
  }
  const random = m[3]!;
  return ok({
    difficulty,
    expiresAt,
    random,
    mac: m[4]!,
    body: challengeBody({ difficulty, expiresAt, random }),
  });
}

/**
 * Admission difficulty from how many chats wait and how fast joins arrive. One extra bit (twice
 * the work) per POW_WAITING_PER_BIT waiting, and one per doubling of the join rate beyond
 * POW_FREE_JOINS_PER_MINUTE, capped at POW_ADMISSION_MAX_DIFFICULTY: an idle helpline costs a
 * survivor milliseconds, a flood makes every join (the flooder's too) cost about a million hashes,
 * and no survivor ever faces more than a slow phone can do in seconds.
 */
export function admissionDifficulty(load: Readonly<{ waiting: number; joinsPerMinute: number }>): number {
  const queueBits = Math.floor(Math.max(0, load.waiting) / POW_WAITING_PER_BIT);
  const rate = Math.max(0, load.joinsPerMinute);
  const rateBits =
    rate <= POW_FREE_JOINS_PER_MINUTE ? 0 : Math.ceil(Math.log2(rate / POW_FREE_JOINS_PER_MINUTE));
  return Math.min(POW_ADMISSION_MAX_DIFFICULTY, POW_MIN_DIFFICULTY + queueBits + rateBits);
}

/** Count of leading zero bits of a digest. */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}
