import {
  HASH_BYTES,
  LABEL_HEADER_C2S,
  LABEL_HEADER_S2C,
  LABEL_KEY_C2S,
  LABEL_KEY_S2C,
  LABEL_SAFETY_CODE,
  LABEL_TRANSCRIPT,
} from "./labels.ts";
import { sodium } from "./sodium.ts";

/**
 * The handshake transcript (PROTOCOL.md "Handshake transcript"):
 *
 *   "sahara-v1/handshake" | u8 n + session id (n, ASCII) | epoch u32 BE
 *   | survivor ephemeral X25519 pk (32) | counselor ephemeral X25519 pk (32)
 *   | BLAKE2b-256(certificate) (32)
 *
 * The counselor signs it with its certified Ed25519 identity key; both sides hash it with
 * BLAKE2b-256 into the transcript hash that every session key and the safety code depend on.
 */
/**
 * Session ids are bound as u8 length + ASCII; anything else (the wire form is 22 base64url
 * characters) is refused before it could be encoded ambiguously.
 */
export function isBindableSessionId(sessionId: string): boolean {
  return typeof sessionId === "string" && /^[\x21-\x7e]{1,255}$/.test(sessionId);
}

export type TranscriptFields = Readonly<{
  sessionId: string;
  epoch: number;
  survivorPublicKey: Uint8Array;
  counselorPublicKey: Uint8Array;
  certificateHash: Uint8Array;
}>;

export function encodeTranscript(fields: TranscriptFields): Uint8Array {
  const id = new TextEncoder().encode(fields.sessionId);
  const out = new Uint8Array(LABEL_TRANSCRIPT.length + 1 + id.length + 4 + 32 + 32 + HASH_BYTES);
  let at = 0;
  out.set(LABEL_TRANSCRIPT, at);
  at += LABEL_TRANSCRIPT.length;
  out[at++] = id.length;
  out.set(id, at);
  at += id.length;
  new DataView(out.buffer).setUint32(at, fields.epoch);
  at += 4;
  out.set(fields.survivorPublicKey, at);
  out.set(fields.counselorPublicKey, at + 32);
  out.set(fields.certificateHash, at + 64);
  return out;
}

export function transcriptHash(transcript: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(HASH_BYTES, transcript, null);
}

/** Key and secretstream header of one direction. */
export type StreamSecrets = { key: Uint8Array; header: Uint8Array };
export type SessionSecrets = Readonly<{
  survivorToCounselor: StreamSecrets;
  counselorToSurvivor: StreamSecrets;
}>;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Mixes the crypto_kx directional keys with the transcript hash:
 *   key    = BLAKE2b-256(key = kx key, message = "sahara-v1/key/<direction>" | th)
 *   header = BLAKE2b-192(key = kx key, message = "sahara-v1/header/<direction>" | th)
 * Binding the transcript means a relay that altered any signed field (or the certificate)
 * ends up with different keys even if it somehow got past the signature check.
 */
export function deriveSessionSecrets(kxS2C: Uint8Array, kxC2S: Uint8Array, th: Uint8Array): SessionSecrets {
  const s = sodium();
  const headerBytes = 24;
  return {
    survivorToCounselor: {
      key: s.crypto_generichash(32, concat(LABEL_KEY_S2C, th), kxS2C),
      header: s.crypto_generichash(headerBytes, concat(LABEL_HEADER_S2C, th), kxS2C),
    },
    counselorToSurvivor: {
      key: s.crypto_generichash(32, concat(LABEL_KEY_C2S, th), kxC2S),
      header: s.crypto_generichash(headerBytes, concat(LABEL_HEADER_C2S, th), kxC2S),
    },
  };
}

/**
 * Six decimal digits shown as "123 456" on both sides (digits read the same in English and
 * Urdu): u32 BE of BLAKE2b-256("sahara-v1/safety-code" | th)[0..4] modulo 10^6. The modulo bias
 * (about 2^-12 relative) is irrelevant for a visual comparison.
 */
export function safetyCodeFromTranscriptHash(th: Uint8Array): string {
  const digest = sodium().crypto_generichash(32, concat(LABEL_SAFETY_CODE, th), null);
  const value = new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0) % 1_000_000;
  const digits = value.toString().padStart(6, "0");
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
