import {
  counselorAccept,
  openHandoverNote,
  sealHandoverNote,
  verifyCertificate,
} from "../../../shared/crypto/index.ts";
import {
  deriveStaffKeys,
  generateIdentityKeyPair,
  generateOrgKeyPair,
  issueCertificate,
  type KdfProfile,
  openOrgKey,
  sealOrgKey,
  type SigningKeyPair,
  signRevocationList,
  unwrapSecretKey,
  type WrapContext,
  wrapSecretKey,
} from "../../../shared/crypto/staff/index.ts";
import {
  decodePayload,
  encodePayload,
  handoverPayload,
  parse,
  type StaffId,
  StaffIdSchema,
} from "../../../shared/protocol/index.ts";
import { encodeBase64url } from "./base64url.ts";
import type { CryptoAnswers, CryptoError, CryptoReply, CryptoRequest } from "./rpc.ts";
import { type SessionCrypto, sessionCrypto } from "./session-crypto.ts";
import { sideKeyring } from "./side-keys.ts";

/**
 * Everything secret the console holds, living only inside the crypto worker: the wrapping key
 * between derive and unlock, the identity key, the org key (admins), and one channel per chat.
 * `lock` zeroes what libsodium lets us zero; the page then terminates the worker, which drops
 * the WASM heap with whatever libsodium freed without zeroing.
 */
export type KeyringOptions = Readonly<{ profile: KdfProfile; now: () => number }>;

/**
 * Wrapped keys are bound (AEAD associated data) to the account: the AD names the username in
 * base64url, because the browser knows it at setup and enrollment, before the server assigns a
 * staff id. Usernames never change, so the server still cannot swap one account's key for another's.
 */
export function wrapIdFor(username: string): StaffId {
  const parsed = parse(StaffIdSchema, encodeBase64url(new TextEncoder().encode(username)));
  if (!parsed.ok) throw new Error("username cannot name a wrap context");
  return parsed.value;
}

type Held = {
  pendingWrappingKey: Uint8Array | null;
  identity: SigningKeyPair | null;
  orgSecretKey: Uint8Array | null;
  orgPublicKey: Uint8Array | null;
  certificate: Uint8Array | null;
};

const empty = (): Held => ({
  pendingWrappingKey: null,
  identity: null,
  orgSecretKey: null,
  orgPublicKey: null,
  certificate: null,
});

function zero(bytes: Uint8Array | null): void {
  bytes?.fill(0);
}

export type Keyring = Readonly<{
  handle: <T extends CryptoRequest["type"]>(request: Extract<CryptoRequest, { type: T }>) => CryptoReply<T>;
}>;

const ok = <T>(value: T) => ({ ok: true as const, value });
const fail = (error: CryptoError) => ({ ok: false as const, error });

export function createKeyring(options: KeyringOptions): Keyring {
  let held = empty();
  const sessions: SessionCrypto = sessionCrypto();
  // Side conversations need a certified identity: the other side checks the certificate.
  const side = sideKeyring(
    () =>
      held.identity && held.certificate && held.orgPublicKey
        ? {
            identitySecretKey: held.identity.secretKey,
            certificate: held.certificate,
            orgPublicKey: held.orgPublicKey,
          }
        : null,
    options.now,
  );

  const wipeAll = () => {
    zero(held.pendingWrappingKey);
    zero(held.identity?.secretKey ?? null);
    zero(held.orgSecretKey);
    held = empty();
    sessions.wipeAll();
    side.wipeAll();
  };

  const wrapFor = (username: string, purpose: WrapContext["purpose"]): WrapContext => ({
    purpose,
    staffId: wrapIdFor(username),
  });

  const handlers: {
    [K in CryptoRequest["type"]]: (r: Extract<CryptoRequest, { type: K }>) => CryptoReply<K>;
  } = {
    ...side.handlers,
    "derive-login": (r) => {
      wipeAll();
      const keys = deriveStaffKeys(r.password, r.salt, options.profile);
      if (!keys.ok) return fail("crypto-failed");
      held.pendingWrappingKey = keys.value.wrappingKey;
      return ok({ authKey: keys.value.authKey });
    },
    unlock: (r) => {
      const wrappingKey = held.pendingWrappingKey;
      if (!wrappingKey) return fail("locked");
      held.pendingWrappingKey = null;
      const identity = unwrapSecretKey(wrappingKey, r.wrappedIdentityKey, wrapFor(r.username, "identity"));
      const org = r.wrappedOrgKey
        ? unwrapSecretKey(wrappingKey, r.wrappedOrgKey, wrapFor(r.username, "org"))
        : null;
      if (!identity.ok || (org && !org.ok)) {
        zero(wrappingKey);
        if (identity.ok) zero(identity.value);
        return fail("wrong-password");
      }
      if (!sameBytes(identity.value.subarray(32), r.identityPublicKey)) {
        zero(wrappingKey);
        zero(identity.value);
        return fail("bad-certificate");
      }
      held.identity = { publicKey: r.identityPublicKey.slice(), secretKey: identity.value };
      held.orgSecretKey = org?.ok ? org.value : null;
      held.orgPublicKey = r.orgPublicKey.slice();
      held.certificate = null;
      const certified = r.certificate ? acceptCertificate(r.certificate) : false;
      const adoptedOrgKey =
        !held.orgSecretKey && r.pendingOrgKey
          ? adoptPendingOrgKey(r.pendingOrgKey, wrappingKey, r.username)
          : null;
      zero(wrappingKey);
      return ok({
        canCertify: held.orgSecretKey !== null,
        certified,
        ...(adoptedOrgKey ? { adoptedOrgKey } : {}),
      });
    },
    "create-setup": (r) => {
      wipeAll();
      const salt = r.salt.slice();
      const keys = deriveStaffKeys(r.password, salt, options.profile);
      if (!keys.ok) return fail("crypto-failed");
      const org = generateOrgKeyPair();
      const identity = generateIdentityKeyPair();
      const answer = {
        salt,
        authKey: keys.value.authKey,
        orgPublicKey: org.publicKey,
        identityPublicKey: identity.publicKey,
        wrappedIdentityKey: wrapSecretKey(
          keys.value.wrappingKey,
          identity.secretKey,
          wrapFor(r.username, "identity"),
        ),
        wrappedOrgKey: wrapSecretKey(keys.value.wrappingKey, org.secretKey, wrapFor(r.username, "org")),
      };
      zero(keys.value.wrappingKey);
      // The new admin is logged in by the setup answer and certifies itself next: keep the keys.
      held = { ...empty(), identity, orgSecretKey: org.secretKey, orgPublicKey: org.publicKey };
      return ok(answer);
    },
    "create-enrollment": (r) => {
      wipeAll();
      const salt = r.salt.slice();
      const keys = deriveStaffKeys(r.password, salt, options.profile);
      if (!keys.ok) return fail("crypto-failed");
      const identity = generateIdentityKeyPair();
      const answer = {
        salt,
        authKey: keys.value.authKey,
        identityPublicKey: identity.publicKey,
        wrappedIdentityKey: wrapSecretKey(
          keys.value.wrappingKey,
          identity.secretKey,
          wrapFor(r.username, "identity"),
        ),
      };
      zero(keys.value.wrappingKey);
      zero(identity.secretKey);
      return ok(answer);
    },
    "issue-certificate": (r) => {
      if (!held.orgSecretKey) return fail("no-org-key");
      const staffId = parse(StaffIdSchema, r.staffId);
      if (!staffId.ok) return fail("crypto-failed");
      const issued = issueCertificate(held.orgSecretKey, {
        role: r.role,
        subjectPublicKey: r.subjectPublicKey,
        notBefore: r.notBefore,
        notAfter: r.notAfter,
        staffId: staffId.value,
        displayName: r.displayName,
      });
      return issued.ok ? ok({ certificate: issued.value }) : fail("crypto-failed");
    },
    "set-certificate": (r) => (acceptCertificate(r.certificate) ? ok({}) : fail("bad-certificate")),
    "sign-revocations": (r) => {
      if (!held.orgSecretKey) return fail("no-org-key");
      const list = signRevocationList(held.orgSecretKey, {
        issuedAt: r.issuedAt,
        revokedKeys: r.revokedKeys,
      });
      return list.ok ? ok({ list: list.value }) : fail("crypto-failed");
    },
    accept: (r) => {
      if (!held.identity) return fail("locked");
      if (!held.certificate) return fail("not-certified");
      const session = counselorAccept({
        sessionId: r.sessionId,
        epoch: r.epoch,
        survivorPublicKey: r.survivorKey,
        identitySecretKey: held.identity.secretKey,
        certificate: held.certificate,
      });
      if (!session.ok) return fail("crypto-failed");
      sessions.put(r.sessionId, session.value.channel);
      return ok({ handshake: session.value.handshake, safetyCode: session.value.safetyCode });
    },
    seal: (r) => sessions.seal(r.sessionId, encodePayload(r.payload), r.final),
    open: (r) => {
      const opened = sessions.open(r.sessionId, r.epoch, r.seq, r.ciphertext);
      if (!opened.ok) return opened;
      const payload = decodePayload(opened.value.payload);
      opened.value.payload.fill(0);
      return payload.ok ? ok({ payload: payload.value, final: opened.value.final }) : fail("bad-payload");
    },
    ack: (r) => {
      sessions.ack(r.sessionId, r.seq);
      return ok({});
    },
    unacked: (r) => ok({ frames: sessions.unacked(r.sessionId) }),
    "wipe-session": (r) => {
      sessions.wipe(r.sessionId);
      return ok({});
    },
    "seal-note": (r) => {
      if (!held.identity) return fail("locked");
      if (!held.certificate) return fail("not-certified");
      const sealed = sealHandoverNote({
        note: encodePayload(handoverPayload(r.text, r.transcript)),
        sessionId: r.sessionId,
        recipientPublicKey: r.recipientPublicKey,
        senderSecretKey: held.identity.secretKey,
        senderCertificate: held.certificate,
      });
      return sealed.ok
        ? ok({ sealed: sealed.value })
        : fail(sealed.error === "too-large" ? "too-large" : "crypto-failed");
    },
    "seal-org-key": (r) => {
      if (!held.identity) return fail("locked");
      if (!held.orgSecretKey) return fail("no-org-key");
      if (!held.certificate) return fail("not-certified");
      const sealed = sealOrgKey({
        orgSecretKey: held.orgSecretKey,
        recipientPublicKey: r.recipientPublicKey,
        senderSecretKey: held.identity.secretKey,
        senderCertificate: held.certificate,
      });
      return sealed.ok ? ok({ sealed: sealed.value }) : fail("crypto-failed");
    },
    "open-note": (r) => {
      if (!held.identity || !held.orgPublicKey) return fail("locked");
      const opened = openHandoverNote(r.sealed, {
        sessionId: r.sessionId,
        recipientPublicKey: held.identity.publicKey,
        recipientSecretKey: held.identity.secretKey,
        orgPublicKey: held.orgPublicKey,
        nowMs: r.nowMs,
      });
      if (!opened.ok) return fail("decrypt-failed");
      const payload = decodePayload(opened.value.note);
      if (!payload.ok || payload.value.type !== "handover-note") return fail("bad-payload");
      return ok({
        text: payload.value.text,
        fromName: opened.value.from.displayName,
        transcript: payload.value.transcript ?? [],
      });
    },
    rewrap: (r) => {
      if (!held.identity) return fail("locked");
      const current = deriveStaffKeys(r.currentPassword, r.currentSalt, options.profile);
      if (!current.ok) return fail("crypto-failed");
      zero(current.value.wrappingKey);
      const salt = r.currentSalt.slice();
      const next = deriveStaffKeys(r.newPassword, salt, options.profile);
      if (!next.ok) return fail("crypto-failed");
      const answer = {
        currentAuthKey: current.value.authKey,
        salt,
        authKey: next.value.authKey,
        wrappedIdentityKey: wrapSecretKey(
          next.value.wrappingKey,
          held.identity.secretKey,
          wrapFor(r.username, "identity"),
        ),
        wrappedOrgKey: held.orgSecretKey
          ? wrapSecretKey(next.value.wrappingKey, held.orgSecretKey, wrapFor(r.username, "org"))
          : null,
      };
      zero(next.value.wrappingKey);
      return ok(answer);
    },
    lock: () => {
      wipeAll();
      return ok({});
    },
  };

  /**
   * Opens an org key another admin sealed to this identity (checked against the org public key
   * and the sharer's admin certificate) and wraps it under this admin's wrapping key. A share
   * that does not open is ignored: the admin simply cannot certify yet, as before.
   */
  function adoptPendingOrgKey(
    sealed: Uint8Array,
    wrappingKey: Uint8Array,
    username: string,
  ): Uint8Array | null {
    if (!held.identity || !held.orgPublicKey) return null;
    const opened = openOrgKey(sealed, {
      recipientPublicKey: held.identity.publicKey,
      recipientSecretKey: held.identity.secretKey,
      orgPublicKey: held.orgPublicKey,
      nowMs: options.now(),
    });
    if (!opened.ok) return null;
    held.orgSecretKey = opened.value;
    return wrapSecretKey(wrappingKey, opened.value, wrapFor(username, "org"));
  }

  /** Keeps a certificate only if the org signed it for this very identity key and it is current. */
  function acceptCertificate(certificate: Uint8Array): boolean {
    if (!held.identity || !held.orgPublicKey) return false;
    const verified = verifyCertificate(certificate, held.orgPublicKey, options.now());
    if (!verified.ok || !sameBytes(verified.value.body.subjectPublicKey, held.identity.publicKey))
      return false;
    held.certificate = certificate.slice();
    return true;
  }

  return {
    handle: (request) => {
      try {
        const handler = handlers[request.type] as (r: typeof request) => CryptoReply<typeof request.type>;
        return handler(request);
      } catch {
        // libsodium throws on malformed inputs in a few places; the page gets a code, not a trace.
        return fail("crypto-failed");
      }
    },
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export type { CryptoAnswers };
