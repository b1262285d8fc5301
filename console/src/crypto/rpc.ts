import type { Role } from "../../../shared/protocol/http/index.ts";
import type { HandoverLine, Payload } from "../../../shared/protocol/index.ts";
import type { SideAnswers, SideRequest } from "./side-rpc.ts";

/**
 * Messages between the console page and its crypto worker. Secret keys never cross this
 * boundary: the page sends passwords in and gets public values, wrapped keys, signatures and
 * ciphertext (or, for chats, the opened payload it must display) back.
 */
export type CryptoRequest =
  /** Login: Argon2id, returns the auth key; the wrapping key stays in the worker for `unlock`. */
  | Readonly<{ type: "derive-login"; password: string; salt: Uint8Array }>
  | Readonly<{
      type: "unlock";
      username: string;
      identityPublicKey: Uint8Array;
      wrappedIdentityKey: Uint8Array;
      wrappedOrgKey: Uint8Array | null;
      /** Admins: the org key another admin sealed to this identity, opened and re-wrapped here. */
      pendingOrgKey?: Uint8Array | null;
      orgPublicKey: Uint8Array;
      certificate: Uint8Array | null;
    }>
  /**
   * First run: org key + admin identity, wrapped; both secret keys stay in the worker. `salt` is
   * the one the server answers for this username (`POST /api/auth/salt`): it never changes.
   */
  | Readonly<{ type: "create-setup"; username: string; password: string; salt: Uint8Array }>
  /** Enrollment: a new identity, wrapped; the worker keeps nothing afterwards. `salt` as above. */
  | Readonly<{ type: "create-enrollment"; username: string; password: string; salt: Uint8Array }>
  | Readonly<{
      type: "issue-certificate";
      staffId: string;
      displayName: string;
      role: Role;
      subjectPublicKey: Uint8Array;
      notBefore: number;
      notAfter: number;
    }>
  | Readonly<{ type: "set-certificate"; certificate: Uint8Array }>
  | Readonly<{ type: "sign-revocations"; issuedAt: number; revokedKeys: readonly Uint8Array[] }>
  | Readonly<{ type: "accept"; sessionId: string; epoch: number; survivorKey: Uint8Array }>
  | Readonly<{ type: "seal"; sessionId: string; payload: Payload; final: boolean }>
  | Readonly<{ type: "open"; sessionId: string; epoch: number; seq: number; ciphertext: Uint8Array }>
  | Readonly<{ type: "ack"; sessionId: string; seq: number }>
  | Readonly<{ type: "unacked"; sessionId: string }>
  | Readonly<{ type: "wipe-session"; sessionId: string }>
  | Readonly<{
      type: "seal-note";
      sessionId: string;
      recipientPublicKey: Uint8Array;
      text: string;
      transcript: readonly HandoverLine[];
    }>
  /** Admins holding the org key: seal it to another admin's certified identity key. */
  | Readonly<{ type: "seal-org-key"; recipientPublicKey: Uint8Array }>
  | Readonly<{ type: "open-note"; sessionId: string; sealed: Uint8Array; nowMs: number }>
  /**
   * Password change: re-proves the current password, re-wraps the held keys under the new one,
   * derived with the same salt (a salt that changed would show the re-keying).
   */
  | Readonly<{
      type: "rewrap";
      username: string;
      currentPassword: string;
      currentSalt: Uint8Array;
      newPassword: string;
    }>
  | Readonly<{ type: "lock" }>
  | SideRequest;

export type SealedFrameOut = Readonly<{ seq: number; ciphertext: Uint8Array }>;

/** The answer type for each request type. */
export type CryptoAnswers = {
  "derive-login": Readonly<{ authKey: Uint8Array }>;
  /** `adoptedOrgKey`: the opened pending org key, wrapped for `PUT /api/auth/org-key`. */
  unlock: Readonly<{ canCertify: boolean; certified: boolean; adoptedOrgKey?: Uint8Array }>;
  "create-setup": Readonly<{
    salt: Uint8Array;
    authKey: Uint8Array;
    orgPublicKey: Uint8Array;
    identityPublicKey: Uint8Array;
    wrappedIdentityKey: Uint8Array;
    wrappedOrgKey: Uint8Array;
  }>;
  "create-enrollment": Readonly<{
    salt: Uint8Array;
    authKey: Uint8Array;
    identityPublicKey: Uint8Array;
    wrappedIdentityKey: Uint8Array;
  }>;
  "issue-certificate": Readonly<{ certificate: Uint8Array }>;
  "set-certificate": Readonly<Record<string, never>>;
  "sign-revocations": Readonly<{ list: Uint8Array }>;
  accept: Readonly<{ handshake: Uint8Array; safetyCode: string }>;
  seal: SealedFrameOut;
  open: Readonly<{ payload: Payload; final: boolean }>;
  ack: Readonly<Record<string, never>>;
  unacked: Readonly<{ frames: readonly SealedFrameOut[] }>;
  "wipe-session": Readonly<Record<string, never>>;
  "seal-note": Readonly<{ sealed: Uint8Array }>;
  "seal-org-key": Readonly<{ sealed: Uint8Array }>;
  "open-note": Readonly<{ text: string; fromName: string; transcript: readonly HandoverLine[] }>;
  rewrap: Readonly<{
    currentAuthKey: Uint8Array;
    salt: Uint8Array;
    authKey: Uint8Array;
    wrappedIdentityKey: Uint8Array;
    wrappedOrgKey: Uint8Array | null;
  }>;
  lock: Readonly<Record<string, never>>;
} & SideAnswers;

/** Opaque on purpose: a crypto failure tells the page what to show, not why it failed inside. */
export type CryptoError =
  | "locked"
  | "wrong-password"
  | "no-org-key"
  | "not-certified"
  | "bad-certificate"
  | "unknown-session"
  | "duplicate"
  | "out-of-order"
  | "decrypt-failed"
  | "bad-payload"
  | "too-large"
  | "closed"
  | "crypto-failed";

export type CryptoReply<T extends CryptoRequest["type"]> =
  | Readonly<{ ok: true; value: CryptoAnswers[T] }>
  | Readonly<{ ok: false; error: CryptoError }>;

export type WorkerInbound = Readonly<{ id: number; request: CryptoRequest }>;
export type WorkerOutbound = Readonly<{ id: number; reply: CryptoReply<CryptoRequest["type"]> }>;
