/**
 * The login cookie. With Secure cookies the `__Host-` prefix makes the browser refuse a cookie
 * set for a parent domain or a path, so a sibling subdomain cannot plant a session.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-sahara-session" : "sahara-session";
}

/** Reads one cookie from a Cookie header; tolerant of junk, never throws. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header || header.length > 8192) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
    }
  }
  return null;
}

export function sessionCookie(name: string, token: string, secure: boolean, maxAgeSeconds: number): string {
  const attributes = [
    `${name}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (secure) attributes.push("Secure");
  return attributes.join("; ");
}

export function clearedCookie(name: string, secure: boolean): string {
  return sessionCookie(name, "", secure, 0).replace(`${name}=;`, `${name}=deleted;`);
}
