import { MAX_HANDOVER_BYTES } from "../protocol/limits.ts";
import { err, ok, type Result } from "../result.ts";
import { certificateHash, verifyCertificate, verifySignature } from "./certificate.ts";
import { type CounselorIdentity, identityOf } from "./counselor-identity.ts";
import type { HandoverError } from "./errors.ts";
import { LABEL_HANDOVER } from "./labels.ts";
import { pad, unpad } from "./padding.ts";
import type { VerifiedRevocationList } from "./revocation.ts";
import { sodium } from "./sodium.ts";
import { isBindableSessionId } from "./transcript.ts";

/**
 * Handover from one counselor to the next at transfer (PROTOCOL.md "Transfer"): the note and the
 * conversation so far, so the survivor never has to tell their story twice. Sealed box
 * (anonymous X25519 + XSalsa20-Poly1305) to the recipient's identity key converted to Curve25519,
 * and signed inside by the sender's identity key with its certificate: a sealed box alone would
 * let the relay, which knows every public key, write a note in a counselor's name.
 *
 *   sealed = crypto_box_seal(pad(u16 BE n | certificate (n) | signature (64) | note), curve(recipient))
 *   signature = Ed25519(sender, "sahara-v1/handover" | u8 m + session id | recipient pk (32)
 *                                | BLAKE2b-256(certificate) | note)
 */
const SEAL_OVERHEAD = 48;
/**
 * A note alone pads as before (u16 length, buckets up to 4048); with the conversation so far it
 * needs the large buckets, whose length prefix is a u32. The padded size says which.
 */
export const HANDOVER_BUCKETS = [1024, 2048, 4048] as const;
export const HANDOVER_LARGE_BUCKETS = [16_384, 65_536, MAX_HANDOVER_BYTES - SEAL_OVERHEAD] as const;
const SMALL_LIMIT = 4048;

function padHandover(inner: Uint8Array): Result<Uint8Array, "too-large"> {
  const small = pad(inner, HANDOVER_BUCKETS);
  return small.ok ? small : pad(inner, HANDOVER_LARGE_BUCKETS, 4);
}

function unpadHandover(padded: Uint8Array): Result<Uint8Array, "bad-padding"> {
  if (padded.length <= SMALL_LIMIT) return unpad(padded, HANDOVER_BUCKETS);
  const inner = unpad(padded, HANDOVER_LARGE_BUCKETS, 4);
  // One inner, one padded form: what fits a small bucket must use it.
  return inner.ok && inner.value.length + 2 <= SMALL_LIMIT ? err("bad-padding") : inner;
}

function signedPart(
  sessionId: string,
  recipientPublicKey: Uint8Array,
  certificate: Uint8Array,
  note: Uint8Array,
) {
  if (!isBindableSessionId(sessionId)) throw new Error("handover note: session id is not bindable");
  const id = new TextEncoder().encode(sessionId);
  const out = new Uint8Array(LABEL_HANDOVER.length + 1 + id.length + 32 + 32 + note.length);
  let at = 0;
  out.set(LABEL_HANDOVER, at);
  at += LABEL_HANDOVER.length;
  out[at++] = id.length;
  out.set(id, at);
  at += id.length;
  out.set(recipientPublicKey, at);
  out.set(certificateHash(certificate), at + 32);
  out.set(note, at + 64);
  return out;
}

export type SealHandoverInput = Readonly<{
  /** The encoded `handover-note` payload. */
  note: Uint8Array;
  sessionId: string;
  /** The receiving counselor's Ed25519 identity public key (from its certificate). */
  recipientPublicKey: Uint8Array;
  senderSecretKey: Uint8Array;
  senderCertificate: Uint8Array;
}>;

export function sealHandoverNote(
  input: SealHandoverInput,
): Result<Uint8Array, "too-large" | "bad-recipient-key"> {
  const s = sodium();
  const cert = input.senderCertificate;
  const signature = s.crypto_sign_detached(
    signedPart(input.sessionId, input.recipientPublicKey, cert, input.note),
    input.senderSecretKey,
  );
  const inner = new Uint8Array(2 + cert.length + 64 + input.note.length);
  inner[0] = cert.length >>> 8;
  inner[1] = cert.length & 0xff;
  inner.set(cert, 2);
  inner.set(signature, 2 + cert.length);
  inner.set(input.note, 2 + cert.length + 64);
  const padded = padHandover(inner);
  s.memzero(inner);
  if (!padded.ok) return padded;
  let curve: Uint8Array;
  try {
    curve = s.crypto_sign_ed25519_pk_to_curve25519(input.recipientPublicKey);
  } catch {
    return err("bad-recipient-key");
  }
  const sealed = s.crypto_box_seal(padded.value, curve);
  s.memzero(padded.value);
  return ok(sealed);
}

export type OpenHandoverContext = Readonly<{
  sessionId: string;
  recipientPublicKey: Uint8Array;
  recipientSecretKey: Uint8Array;
  orgPublicKey: Uint8Array;
  nowMs: number;
  revocations?: VerifiedRevocationList;
}>;

export type OpenedHandoverNote = Readonly<{ note: Uint8Array; from: CounselorIdentity }>;

/** Opens and authenticates a handover note. Never throws. */
export function openHandoverNote(
  sealed: Uint8Array,
  context: OpenHandoverContext,
): Result<OpenedHandoverNote, HandoverError> {
  const s = sodium();
  if (!isBindableSessionId(context.sessionId)) return err("bad-handover-signature");
  let padded: Uint8Array;
  try {
    const curvePublic = s.crypto_sign_ed25519_pk_to_curve25519(context.recipientPublicKey);
    const curveSecret = s.crypto_sign_ed25519_sk_to_curve25519(context.recipientSecretKey);
    try {
      padded = s.crypto_box_seal_open(sealed, curvePublic, curveSecret);
    } finally {
      s.memzero(curveSecret);
    }
  } catch {
    return err("decrypt-failed");
  }
  const inner = unpadHandover(padded);
  s.memzero(padded);
  if (!inner.ok || inner.value.length < 2) return err("decrypt-failed");
  const bytes = inner.value;
  const n = ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0);
  if (bytes.length < 2 + n + 64) return err("decrypt-failed");
  const certificate = bytes.slice(2, 2 + n);
  const signature = bytes.slice(2 + n, 2 + n + 64);
  const note = bytes.slice(2 + n + 64);
  const verified = verifyCertificate(certificate, context.orgPublicKey, context.nowMs, context.revocations);
  if (!verified.ok) return verified;
  const subject = verified.value.body.subjectPublicKey;
  if (
    !verifySignature(
      signature,
      signedPart(context.sessionId, context.recipientPublicKey, certificate, note),
      subject,
    )
  ) {
    // Either a forgery or a note sealed for another session: the signature binds both.
    return err("bad-handover-signature");
  }
  return ok({ note, from: identityOf(verified.value.body) });
}
