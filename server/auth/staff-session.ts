import { decodeCertificate } from "../../shared/protocol/certificate.ts";
import { LANGUAGES } from "../../shared/protocol/limits.ts";
import type { Repositories } from "../db/repositories.ts";
import type { StaffRecord } from "../db/records.ts";
import type { StaffPrincipal } from "../relay/deps.ts";
import { readCookie, sessionCookieName } from "./cookies.ts";
import type { LoginSession, SessionStore } from "./sessions.ts";

export type AuthenticatedStaff = Readonly<{ record: StaffRecord; session: LoginSession; token: string }>;

/** An account that may use a session: enrolled and not disabled. */
export function isUsable(record: StaffRecord | null): record is StaffRecord {
  return record !== null && record.status === "active" && !record.disabled;
}

/**
 * The staff member behind a Cookie header, or null. The account is re-read on every call, so a
 * disabled account loses its sessions at once (they are also deleted when it is disabled).
 */
export async function authenticateCookie(
  cookieHeader: string | undefined,
  secureCookies: boolean,
  sessions: SessionStore,
  repos: Repositories,
): Promise<AuthenticatedStaff | null> {
  const token = readCookie(cookieHeader, sessionCookieName(secureCookies));
  if (!token) return null;
  const session = await sessions.get(token);
  if (!session) return null;
  const record = await repos.staff.findById(session.staffId);
  if (!isUsable(record)) {
    await sessions.delete(token);
    return null;
  }
  return { record, session, token };
}

/**
 * Certified = a stored certificate that is valid now and whose key is not revoked. The
 * certificate's signature was checked when it was stored (admin route).
 */
export async function isCertified(record: StaffRecord, repos: Repositories, now: number): Promise<boolean> {
  if (!record.certificate || !record.identityPublicKey) return false;
  const decoded = decodeCertificate(new Uint8Array(Buffer.from(record.certificate, "base64url")));
  if (!decoded.ok) return false;
  const { notBefore, notAfter } = decoded.value.body;
  if (now < notBefore || now > notAfter) return false;
  return !(await repos.revocations.isRevoked(record.identityPublicKey));
}

export async function effectiveChatLimit(record: StaffRecord, repos: Repositories): Promise<number> {
  return record.chatLimit ?? (await repos.settings.get()).defaultChatLimit;
}

export async function toPrincipal(
  record: StaffRecord,
  repos: Repositories,
  now: number,
): Promise<StaffPrincipal> {
  return {
    id: record.id,
    displayName: record.displayName,
    role: record.role,
    chatLimit: await effectiveChatLimit(record, repos),
    languages: record.languages ?? LANGUAGES,
    certified: await isCertified(record, repos, now),
  };
}
