/**
 * The end-to-end crypto core, survivor-safe (the widget may import this; it never imports
 * `./staff`). PROTOCOL.md "Cryptography" specifies every byte.
 *
 *   await ready()                                       once, before anything else
 *   // survivor (widget)
 *   const hs = createSurvivorHandshake()                join with hs.publicKey
 *   hs.complete(acceptBlob, { sessionId, epoch, orgPublicKey, nowMs, revocations? })
 *     -> Result<{ channel, counselor: { staffId, displayName, role }, safetyCode }, HandshakeError>
 *   // counselor (console)
 *   counselorAccept({ sessionId, epoch, survivorPublicKey, identitySecretKey, certificate })
 *     -> Result<{ handshake, channel, safetyCode }, AcceptError>   send handshake in `accept`
 *   // both
 *   channel.seal(payload) -> Result<{ seq, ciphertext }, SealError>
 *   channel.close(payload) -> same, TAG_FINAL (last frame of this direction)
 *   channel.open(seq, ciphertext) -> Result<{ seq, payload, final }, OpenError>
 *   channel.ack(seq); channel.unacked(); channel.status(); channel.wipe()
 *   verifyCertificate(bytes, orgPublicKey, nowMs, revocations?) -> Result<..., CertificateError>
 *   verifyRevocationList(bytes, orgPublicKey, nowMs) -> Result<VerifiedRevocationList, ...>
 *   sealHandoverNote(...) / openHandoverNote(...)        counselor to counselor at transfer
 *   createSideOffer / answerSideOffer -> SideConversation supervisor and counselor, "ask a supervisor"
 *
 * Nothing here throws on untrusted input; everything after `ready()` is synchronous.
 */
export type { AcceptBlob } from "./accept-blob.ts";
export type { Direction } from "./associated-data.ts";
export {
  CLOCK_SKEW_MS,
  certificateHash,
  type VerifiedCertificate,
  verifyCertificate,
} from "./certificate.ts";
export type { Channel, ChannelStatus, OpenedFrame, SealedFrame } from "./channel.ts";
export { type CounselorAcceptInput, type CounselorSession, counselorAccept } from "./counselor-handshake.ts";
export type { CounselorIdentity } from "./counselor-identity.ts";
export type {
  AcceptError,
  CertificateError,
  HandoverError,
  HandshakeError,
  OpenError,
  RevocationListError,
  SealError,
  SideError,
} from "./errors.ts";
export {
  HANDOVER_BUCKETS,
  type OpenedHandoverNote,
  type OpenHandoverContext,
  openHandoverNote,
  type SealHandoverInput,
  sealHandoverNote,
} from "./handover-note.ts";
export { maxPayloadBytes, pad, unpad } from "./padding.ts";
export { useDeterministicRandomForTesting } from "./random.ts";
export { type VerifiedRevocationList, verifyRevocationList } from "./revocation.ts";
export {
  answerSideOffer,
  createSideOffer,
  type SideConversation,
  type SideKeys,
  type SideOffer,
  type SideSealed,
  type SideTrust,
} from "./side-channel.ts";
export { ready } from "./sodium.ts";
export {
  type CompleteContext,
  createSurvivorHandshake,
  type SurvivorHandshake,
  type SurvivorSession,
} from "./survivor-handshake.ts";
