import type { Response } from "express";
import type { SessionInfo } from "../../shared/protocol/http/index.ts";
import { clearedCookie, sessionCookie, sessionCookieName } from "../auth/cookies.ts";
import type { LoginSession } from "../auth/sessions.ts";
import { effectiveChatLimit, isCertified } from "../auth/staff-session.ts";
import type { StaffRecord } from "../db/records.ts";
import type { HttpContext } from "./context.ts";
import { readOrgKeyCopy } from "./org-key-copy.ts";

/** What the console needs after login (or on `me`) to unlock its keys locally. */
export async function sessionInfo(
  ctx: HttpContext,
  record: StaffRecord,
  session: LoginSession,
): Promise<SessionInfo | null> {
  const org = await ctx.repos.org.get();
  if (!org || !record.identityPublicKey || !record.wrappedIdentityKey) return null;
  const copy = record.role === "admin" ? await readOrgKeyCopy(ctx.repos, record.id) : null;
  return {
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
    staff: {
      id: record.id,
      username: record.username,
      displayName: record.displayName,
      role: record.role,
      chatLimit: await effectiveChatLimit(record, ctx.repos),
      certified: await isCertified(record, ctx.repos, ctx.now()),
    },
    keys: {
      identityPublicKey: record.identityPublicKey,
      wrappedIdentityKey: record.wrappedIdentityKey,
      certificate: record.certificate,
      orgPublicKey: org.publicKey,
      wrappedOrgKey: copy?.type === "wrapped" ? copy.wrappedOrgKey : null,
      ...(copy?.type === "sealed" ? { pendingOrgKey: copy.sealed } : {}),
    },
  };
}

export function setSessionCookie(
  ctx: HttpContext,
  res: Response,
  token: string,
  session: LoginSession,
): void {
  const maxAge = Math.max(0, Math.floor((session.expiresAt - ctx.now()) / 1000));
  const secure = ctx.config.secureCookies;
  res.append("Set-Cookie", sessionCookie(sessionCookieName(secure), token, secure, maxAge));
}

export function clearSessionCookie(ctx: HttpContext, res: Response): void {
  const secure = ctx.config.secureCookies;
  res.append("Set-Cookie", clearedCookie(sessionCookieName(secure), secure));
}

/** Mutable Buffer from validated base64url (the schemas already bounded the length). */
export function bytesOf(base64url: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64url, "base64url"));
}
