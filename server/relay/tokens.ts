import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { ResumeToken, SessionId } from "../../shared/protocol/index.ts";

/** Session ids: 16 random bytes; resume tokens: 32 random bytes (limits.ts sizes), base64url. */
export function newSessionId(): SessionId {
  return randomBytes(16).toString("base64url") as SessionId;
}

export function newResumeToken(): ResumeToken {
  return randomBytes(32).toString("base64url") as ResumeToken;
}

/** Only the hash is stored, so a store dump cannot be replayed as a resume. */
export function hashToken(token: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(token).digest());
}

/** Constant-time: a timing oracle on the comparison would let an attacker guess a token byte by byte. */
export function tokenMatches(token: string, storedHash: Uint8Array): boolean {
  const candidate = hashToken(token);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}
