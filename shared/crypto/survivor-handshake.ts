import { MAX_EPOCH } from "../protocol/limits.ts";
import { err, ok, type Result } from "../result.ts";
import { decodeAcceptBlob } from "./accept-blob.ts";
import { certificateHash, verifyCertificate, verifySignature } from "./certificate.ts";
import { type Channel, createChannel } from "./channel.ts";
import { type CounselorIdentity, identityOf } from "./counselor-identity.ts";
import type { HandshakeError } from "./errors.ts";
import type { VerifiedRevocationList } from "./revocation.ts";
import { sodium } from "./sodium.ts";
import {
  deriveSessionSecrets,
  encodeTranscript,
  isBindableSessionId,
  safetyCodeFromTranscriptHash,
  transcriptHash,
} from "./transcript.ts";
import { generateEphemeralKeyPair, kxSessionKeys } from "./x25519.ts";

export type CompleteContext = Readonly<{
  sessionId: string;
  epoch: number;
  /** The trust anchor compiled into (or served with) the frame. */
  orgPublicKey: Uint8Array;
  nowMs: number;
  revocations?: VerifiedRevocationList;
}>;

export type SurvivorSession = Readonly<{
  channel: Channel;
  counselor: CounselorIdentity;
  safetyCode: string;
}>;

export type SurvivorHandshake = Readonly<{
  /** Goes into `join.survivorKey` (or `transfer-key.survivorKey` for a new epoch). */
  publicKey: Uint8Array;
  /**
   * Verifies the counselor's accept blob and derives the channel. A failure leaves the
   * handshake usable (a relay's forgery must not stop the genuine accept from working); a
   * success zeroes the ephemeral secret, and later calls answer `used`.
   */
  complete(acceptBlob: Uint8Array, context: CompleteContext): Result<SurvivorSession, HandshakeError>;
  /** Zeroes the ephemeral secret key (quick exit before any counselor joined). */
  wipe(): void;
}>;

/** A fresh ephemeral X25519 key for one handshake. Make a new one for every epoch. */
export function createSurvivorHandshake(): SurvivorHandshake {
  const s = sodium();
  const own = generateEphemeralKeyPair();
  let used = false;
  const wipe = () => {
    s.memzero(own.secretKey);
    used = true;
  };
  return {
    publicKey: own.publicKey.slice(),
    wipe,
    complete(acceptBlob, context) {
      if (used) return err("used");
      if (!Number.isInteger(context.epoch) || context.epoch < 0 || context.epoch > MAX_EPOCH)
        return err("bad-handshake");
      if (!isBindableSessionId(context.sessionId)) return err("bad-handshake");
      const blob = decodeAcceptBlob(acceptBlob);
      if (!blob.ok) return blob;
      const certificate = verifyCertificate(
        blob.value.certificate,
        context.orgPublicKey,
        context.nowMs,
        context.revocations,
      );
      if (!certificate.ok) return certificate;
      // The signature must cover OUR key, this session and this epoch: a relay that swapped a
      // key or replayed an accept from another session fails here.
      const transcript = encodeTranscript({
        sessionId: context.sessionId,
        epoch: context.epoch,
        survivorPublicKey: own.publicKey,
        counselorPublicKey: blob.value.counselorPublicKey,
        certificateHash: certificateHash(blob.value.certificate),
      });
      if (!verifySignature(blob.value.signature, transcript, certificate.value.body.subjectPublicKey)) {
        return err("bad-transcript-signature");
      }
      const kx = kxSessionKeys("survivor", own, blob.value.counselorPublicKey);
      if (kx === null) return err("low-order-key");
      const th = transcriptHash(transcript);
      const secrets = deriveSessionSecrets(kx.survivorToCounselor, kx.counselorToSurvivor, th);
      s.memzero(kx.survivorToCounselor);
      s.memzero(kx.counselorToSurvivor);
      wipe();
      const channel = createChannel({
        sessionId: context.sessionId,
        epoch: context.epoch,
        sendDirection: "survivor-to-counselor",
        send: secrets.survivorToCounselor,
        receive: secrets.counselorToSurvivor,
      });
      return ok({
        channel,
        counselor: identityOf(certificate.value.body),
        safetyCode: safetyCodeFromTranscriptHash(th),
      });
    },
  };
}
