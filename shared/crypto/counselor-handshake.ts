import { decodeCertificate } from "../protocol/certificate.ts";
import { MAX_EPOCH } from "../protocol/limits.ts";
import { err, ok, type Result } from "../result.ts";
import { encodeAcceptBlob } from "./accept-blob.ts";
import { certificateHash } from "./certificate.ts";
import { type Channel, createChannel } from "./channel.ts";
import type { AcceptError } from "./errors.ts";
import { sodium } from "./sodium.ts";
import {
  deriveSessionSecrets,
  encodeTranscript,
  isBindableSessionId,
  safetyCodeFromTranscriptHash,
  transcriptHash,
} from "./transcript.ts";
import { generateEphemeralKeyPair, kxSessionKeys } from "./x25519.ts";

export type CounselorAcceptInput = Readonly<{
  sessionId: string;
  epoch: number;
  /** From `assigned.survivorKey`: untrusted (the relay chose what to forward). */
  survivorPublicKey: Uint8Array;
  /** The counselor's Ed25519 identity secret key (64 bytes, libsodium format). */
  identitySecretKey: Uint8Array;
  /** The counselor's own certificate, sent along so the survivor can verify it. */
  certificate: Uint8Array;
}>;

export type CounselorSession = Readonly<{ handshake: Uint8Array; channel: Channel; safetyCode: string }>;

/**
 * The counselor's side of the handshake: a fresh ephemeral key, the signed transcript, the
 * accept blob for `accept.handshake`, and the channel (usable at once: the survivor can only
 * read what it sends after verifying the blob). Never throws on untrusted input.
 */
export function counselorAccept(input: CounselorAcceptInput): Result<CounselorSession, AcceptError> {
  const s = sodium();
  if (!Number.isInteger(input.epoch) || input.epoch < 0 || input.epoch > MAX_EPOCH)
    return err("bad-encoding");
  if (!isBindableSessionId(input.sessionId)) return err("bad-encoding");
  const certificate = decodeCertificate(input.certificate);
  if (!certificate.ok) return err("certificate-mismatch");
  // A libsodium Ed25519 secret key ends with its public key: it must be the certified one.
  if (
    input.identitySecretKey.length !== 64 ||
    !s.memcmp(input.identitySecretKey.subarray(32), certificate.value.body.subjectPublicKey)
  ) {
    return err("certificate-mismatch");
  }
  const own = generateEphemeralKeyPair();
  const kx = kxSessionKeys("counselor", own, input.survivorPublicKey);
  s.memzero(own.secretKey);
  if (kx === null) return err("low-order-key");
  const transcript = encodeTranscript({
    sessionId: input.sessionId,
    epoch: input.epoch,
    survivorPublicKey: input.survivorPublicKey,
    counselorPublicKey: own.publicKey,
    certificateHash: certificateHash(input.certificate),
  });
  const signature = s.crypto_sign_detached(transcript, input.identitySecretKey);
  const th = transcriptHash(transcript);
  const secrets = deriveSessionSecrets(kx.survivorToCounselor, kx.counselorToSurvivor, th);
  s.memzero(kx.survivorToCounselor);
  s.memzero(kx.counselorToSurvivor);
  const channel = createChannel({
    sessionId: input.sessionId,
    epoch: input.epoch,
    sendDirection: "counselor-to-survivor",
    send: secrets.counselorToSurvivor,
    receive: secrets.survivorToCounselor,
  });
  const handshake = encodeAcceptBlob({
    counselorPublicKey: own.publicKey,
    certificate: input.certificate,
    signature,
  });
  return ok({ handshake, channel, safetyCode: safetyCodeFromTranscriptHash(th) });
}
