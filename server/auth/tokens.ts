import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh random token (session cookie, CSRF token, invite code): 32 bytes, base64url. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/**
 * What the server keeps instead of a bearer token (sessions in memory, invite codes in the
 * database): a leaked memory dump or table does not hand out usable tokens.
 */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.byteLength === y.byteLength && timingSafeEqual(x, y);
}
