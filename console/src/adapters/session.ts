import type { Role, SessionInfo, StaffSummary } from "../../../shared/protocol/http/index.ts";
import { err, ok, type Result } from "../../../shared/result.ts";
import { decodeBase64url, encodeBase64url } from "../crypto/base64url.ts";
import type { CryptoClient } from "../crypto/crypto-client.ts";
import { normalizeUsername } from "../state/auth.ts";
import type { ErrorCode } from "../state/errors.ts";
import type { Api } from "./api.ts";

/**
 * Setup, login, enrollment and certification: the steps that turn a password into unlocked keys
 * in the worker, or into wrapped keys the server stores without being able to open them.
 */
export const CERTIFICATE_VALIDITY_MS = 30 * 86_400_000;
/** Backdated a little so a colleague's slightly slow clock does not reject a fresh certificate. */
const CERTIFICATE_BACKDATE_MS = 5 * 60_000;

export type Unlocked = Readonly<{ session: SessionInfo; canCertify: boolean; certified: boolean }>;

function bytes(text: string | null): Uint8Array | null {
  if (text === null) return null;
  const decoded = decodeBase64url(text);
  return decoded.ok ? decoded.value : null;
}

export function createSessionActions(api: Api, crypto: CryptoClient, now: () => number) {
  const unlock = async (session: SessionInfo): Promise<Result<Unlocked, ErrorCode>> => {
    const k = session.keys;
    const identityPublicKey = bytes(k.identityPublicKey);
    const wrappedIdentityKey = bytes(k.wrappedIdentityKey);
    const orgPublicKey = bytes(k.orgPublicKey);
    if (!identityPublicKey || !wrappedIdentityKey || !orgPublicKey) return err("bad-response");
    const reply = await crypto.call({
      type: "unlock",
      username: session.staff.username,
      identityPublicKey,
      wrappedIdentityKey,
      wrappedOrgKey: bytes(k.wrappedOrgKey),
      pendingOrgKey: bytes(k.pendingOrgKey ?? null),
      orgPublicKey,
      certificate: bytes(k.certificate),
    });
    if (!reply.ok) return err(reply.error === "wrong-password" ? "wrong-password" : "crypto-failed");
    api.setCsrfToken(session.csrfToken);
    const { adoptedOrgKey, ...unlocked } = reply.value;
    if (!adoptedOrgKey) return ok({ session, ...unlocked });
    // Another admin shared the org key: store our own wrapped copy so it survives this session.
    // If the server refuses, the key is still usable until logout and is offered again next login.
    const stored = await api.adoptOrgKey({ wrappedOrgKey: encodeBase64url(adoptedOrgKey) });
    return ok({ session: stored.ok ? stored.value : session, ...unlocked });
  };

  const certificateFor = async (
    member: Readonly<{ id: string; displayName: string; role: Role; identityPublicKey: string | null }>,
  ) => {
    const subject = bytes(member.identityPublicKey);
    if (!subject) return err("bad-response" as const);
    const t = now();
    const issued = await crypto.call({
      type: "issue-certificate",
      staffId: member.id,
      displayName: member.displayName,
      role: member.role,
      subjectPublicKey: subject,
      notBefore: t - CERTIFICATE_BACKDATE_MS,
      notAfter: t + CERTIFICATE_VALIDITY_MS,
    });
    return issued.ok ? ok(encodeBase64url(issued.value.certificate)) : err("crypto-failed" as const);
  };

  /** The username's salt: the server assigns it (one per username, for ever). */
  const saltOf = async (username: string): Promise<Result<Uint8Array, ErrorCode>> => {
    const salt = await api.salt(username);
    if (!salt.ok) return salt;
    const saltBytes = bytes(salt.value.salt);
    return saltBytes ? ok(saltBytes) : err("bad-response");
  };

  return {
    login: async (usernameInput: string, password: string): Promise<Result<Unlocked, ErrorCode>> => {
      const username = normalizeUsername(usernameInput);
      const salt = await api.salt(username);
      if (!salt.ok) return salt.error === "bad-request" ? err("invalid-credentials") : salt;
      const saltBytes = bytes(salt.value.salt);
      if (!saltBytes) return err("bad-response");
      const derived = await crypto.call({ type: "derive-login", password, salt: saltBytes });
      if (!derived.ok) return err("crypto-failed");
      const session = await api.login({ username, authKey: encodeBase64url(derived.value.authKey) });
      if (!session.ok) return session;
      return unlock(session.value);
    },

    /** First run: org key and admin identity made here, then the admin certifies itself. */
    setup: async (
      setupCode: string,
      usernameInput: string,
      displayName: string,
      password: string,
    ): Promise<Result<Unlocked, ErrorCode>> => {
      const username = normalizeUsername(usernameInput);
      const salt = await saltOf(username);
      if (!salt.ok) return salt;
      const made = await crypto.call({ type: "create-setup", username, password, salt: salt.value });
      if (!made.ok) return err("crypto-failed");
      const m = made.value;
      const created = await api.setup({
        setupCode,
        orgPublicKey: encodeBase64url(m.orgPublicKey),
        admin: {
          username,
          displayName,
          salt: encodeBase64url(m.salt),
          authKey: encodeBase64url(m.authKey),
          identityPublicKey: encodeBase64url(m.identityPublicKey),
          wrappedIdentityKey: encodeBase64url(m.wrappedIdentityKey),
          wrappedOrgKey: encodeBase64url(m.wrappedOrgKey),
        },
      });
      if (!created.ok) return created;
      api.setCsrfToken(created.value.csrfToken);
      const staff = created.value.staff;
      const certificate = await certificateFor({
        ...staff,
        identityPublicKey: encodeBase64url(m.identityPublicKey),
      });
      if (!certificate.ok) return certificate;
      const certified = await api.certify(staff.id, { certificate: certificate.value });
      if (!certified.ok) return certified;
      const cert = bytes(certificate.value);
      if (cert) await crypto.call({ type: "set-certificate", certificate: cert });
      const me = await api.me();
      if (!me.ok) return me;
      return ok({ session: me.value, canCertify: true, certified: true });
    },

    enroll: async (
      usernameInput: string,
      inviteCode: string,
      password: string,
    ): Promise<Result<null, ErrorCode>> => {
      const username = normalizeUsername(usernameInput);
      const salt = await saltOf(username);
      if (!salt.ok) return salt;
      const made = await crypto.call({ type: "create-enrollment", username, password, salt: salt.value });
      crypto.terminate();
      if (!made.ok) return err("crypto-failed");
      const m = made.value;
      const enrolled = await api.enroll({
        username,
        inviteCode: inviteCode.trim(),
        salt: encodeBase64url(m.salt),
        authKey: encodeBase64url(m.authKey),
        identityPublicKey: encodeBase64url(m.identityPublicKey),
        wrappedIdentityKey: encodeBase64url(m.wrappedIdentityKey),
      });
      return enrolled.ok ? ok(null) : enrolled;
    },

    certify: async (member: StaffSummary): Promise<Result<StaffSummary, ErrorCode>> => {
      const certificate = await certificateFor(member);
      if (!certificate.ok) return certificate;
      return api.certify(member.id, { certificate: certificate.value });
    },

    /** Seals the org key this admin holds to another admin's certified identity key. */
    shareOrgKey: async (member: StaffSummary): Promise<Result<null, ErrorCode>> => {
      const recipient = bytes(member.identityPublicKey);
      if (!recipient) return err("bad-response");
      const sealed = await crypto.call({ type: "seal-org-key", recipientPublicKey: recipient });
      if (!sealed.ok) return err("crypto-failed");
      return api.shareOrgKey(member.id, { sealed: encodeBase64url(sealed.value.sealed) });
    },

    /** Signs and publishes a list with every revoked key plus this member's. */
    revoke: async (member: StaffSummary, all: readonly StaffSummary[]): Promise<Result<null, ErrorCode>> => {
      const keys = [...all.filter((s) => s.state === "revoked" || s.id === member.id)]
        .map((s) => bytes(s.identityPublicKey))
        .filter((k): k is Uint8Array => k !== null);
      const signed = await crypto.call({ type: "sign-revocations", issuedAt: now(), revokedKeys: keys });
      if (!signed.ok) return err("crypto-failed");
      return api.publishRevocations(encodeBase64url(signed.value.list));
    },

    /** New password: the worker re-wraps the keys it holds; the server ends other sessions. */
    changePassword: async (
      session: SessionInfo,
      current: string,
      next: string,
    ): Promise<Result<SessionInfo, ErrorCode>> => {
      const username = session.staff.username;
      const salt = await api.salt(username);
      if (!salt.ok) return salt;
      const saltBytes = bytes(salt.value.salt);
      if (!saltBytes) return err("bad-response");
      const re = await crypto.call({
        type: "rewrap",
        username,
        currentPassword: current,
        currentSalt: saltBytes,
        newPassword: next,
      });
      if (!re.ok) return err("crypto-failed");
      const v = re.value;
      const changed = await api.changePassword({
        currentAuthKey: encodeBase64url(v.currentAuthKey),
        salt: encodeBase64url(v.salt),
        authKey: encodeBase64url(v.authKey),
        wrappedIdentityKey: encodeBase64url(v.wrappedIdentityKey),
        ...(v.wrappedOrgKey ? { wrappedOrgKey: encodeBase64url(v.wrappedOrgKey) } : {}),
      });
      if (!changed.ok) return changed;
      api.setCsrfToken(changed.value.csrfToken);
      return changed;
    },

    /** Wipes keys and ends the worker; the server session ends too on logout. */
    lock: async (logout: boolean) => {
      await Promise.race([crypto.call({ type: "lock" }), new Promise((r) => setTimeout(r, 200))]);
      crypto.terminate();
      if (logout) await api.logout();
      api.setCsrfToken(null);
    },
  };
}

export type SessionActions = ReturnType<typeof createSessionActions>;
