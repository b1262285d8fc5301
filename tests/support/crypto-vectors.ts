import { decodeAcceptBlob } from "../../shared/crypto/accept-blob.ts";
import { createChannel } from "../../shared/crypto/channel.ts";
import {
  counselorAccept,
  createSurvivorHandshake,
  type SealedFrame,
  useDeterministicRandomForTesting,
} from "../../shared/crypto/index.ts";
import { sodium } from "../../shared/crypto/sodium.ts";
import {
  deriveStaffKeys,
  generateIdentityKeyPair,
  generateOrgKeyPair,
  issueCertificate,
  STAFF_KDF_PROFILE_FOR_TESTING,
  signRevocationList,
  wrapSecretKey,
} from "../../shared/crypto/staff/index.ts";
import { certificateHash } from "../../shared/crypto/certificate.ts";
import {
  deriveSessionSecrets,
  encodeTranscript,
  safetyCodeFromTranscriptHash,
  transcriptHash,
} from "../../shared/crypto/transcript.ts";
import { kxSessionKeys } from "../../shared/crypto/x25519.ts";
import type { StaffId } from "../../shared/protocol/ids.ts";

/**
 * Known-answer vectors for the crypto core, computed from fixed seeds through
 * `useDeterministicRandomForTesting`. `scripts/gen-crypto-vectors.ts` writes them to
 * tests/fixtures/crypto/vectors.json; tests/unit/shared/crypto/vectors.test.ts recomputes and
 * compares byte for byte, and also checks the stored values independently (opening frames,
 * verifying signatures with node:crypto). The order of random draws is part of the vectors.
 */
export const VECTOR_SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
export const VECTOR_SESSION_ID = "dmVjdG9yLXNlc3Npb24tMQ";
export const VECTOR_NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
export const VECTOR_STAFF_ID = "counselor-1" as StaffId;
export const VECTOR_PASSWORD = "correct horse battery staple";

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
export const unhex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "hex"));
const utf8 = (text: string) => new TextEncoder().encode(text);

function must<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`vector generation failed: ${result.error}`);
  return result.value;
}

/** Fixed per-direction secrets for the channel vectors (no randomness involved). */
export const CHANNEL_SECRETS = {
  s2cKey: "11".repeat(32),
  s2cHeader: "22".repeat(24),
  c2sKey: "33".repeat(32),
  c2sHeader: "44".repeat(24),
};
export const CHANNEL_MESSAGES = {
  survivor: ["", '{"type":"text","id":"m1","body":"salaam"}', "x".repeat(300)],
  counselorFinal: '{"type":"end"}',
};

export function vectorChannels(epoch = 0) {
  const secret = (h: string) => unhex(h);
  const survivor = createChannel({
    sessionId: VECTOR_SESSION_ID,
    epoch,
    sendDirection: "survivor-to-counselor",
    send: { key: secret(CHANNEL_SECRETS.s2cKey), header: secret(CHANNEL_SECRETS.s2cHeader) },
    receive: { key: secret(CHANNEL_SECRETS.c2sKey), header: secret(CHANNEL_SECRETS.c2sHeader) },
  });
  const counselor = createChannel({
    sessionId: VECTOR_SESSION_ID,
    epoch,
    sendDirection: "counselor-to-survivor",
    send: { key: secret(CHANNEL_SECRETS.c2sKey), header: secret(CHANNEL_SECRETS.c2sHeader) },
    receive: { key: secret(CHANNEL_SECRETS.s2cKey), header: secret(CHANNEL_SECRETS.s2cHeader) },
  });
  return { survivor, counselor };
}

const frameHex = (f: SealedFrame) => ({ seq: f.seq, ciphertext: hex(f.ciphertext) });

export function computeVectors() {
  useDeterministicRandomForTesting(VECTOR_SEED);
  try {
    const s = sodium();
    // Draw order: org seed, identity seed, survivor ephemeral seed, counselor ephemeral seed, wrap nonce.
    const org = generateOrgKeyPair();
    const identity = generateIdentityKeyPair();
    const certificate = must(
      issueCertificate(org.secretKey, {
        role: "counselor",
        subjectPublicKey: identity.publicKey,
        notBefore: VECTOR_NOW - 86_400_000,
        notAfter: VECTOR_NOW + 7 * 86_400_000,
        staffId: VECTOR_STAFF_ID,
        displayName: "Ayesha عائشہ",
      }),
    );
    const revocations = must(
      signRevocationList(org.secretKey, {
        issuedAt: VECTOR_NOW,
        revokedKeys: [new Uint8Array(32).fill(0xaa), new Uint8Array(32).fill(0x01)],
      }),
    );
    const survivorHandshake = createSurvivorHandshake();
    const accepted = must(
      counselorAccept({
        sessionId: VECTOR_SESSION_ID,
        epoch: 0,
        survivorPublicKey: survivorHandshake.publicKey,
        identitySecretKey: identity.secretKey,
        certificate,
      }),
    );
    const blob = must(decodeAcceptBlob(accepted.handshake));
    const transcript = encodeTranscript({
      sessionId: VECTOR_SESSION_ID,
      epoch: 0,
      survivorPublicKey: survivorHandshake.publicKey,
      counselorPublicKey: blob.counselorPublicKey,
      certificateHash: certificateHash(certificate),
    });
    const th = transcriptHash(transcript);
    const survivor = must(
      survivorHandshake.complete(accepted.handshake, {
        sessionId: VECTOR_SESSION_ID,
        epoch: 0,
        orgPublicKey: org.publicKey,
        nowMs: VECTOR_NOW,
      }),
    );
    const handshakeFrames = {
      survivorFirst: frameHex(must(survivor.channel.seal(utf8("salaam")))),
      counselorFirst: frameHex(must(accepted.channel.seal(utf8("wa alaikum salaam")))),
    };

    // kx and key schedule from fixed inputs.
    const kxSurvivor = s.crypto_kx_seed_keypair(new Uint8Array(32).fill(0x51));
    const kxCounselor = s.crypto_kx_seed_keypair(new Uint8Array(32).fill(0xc0));
    const kx = kxSessionKeys(
      "survivor",
      { publicKey: kxSurvivor.publicKey, secretKey: kxSurvivor.privateKey },
      kxCounselor.publicKey,
    );
    if (kx === null) throw new Error("kx failed");
    const fixedTh = new Uint8Array(32).fill(0x7e);
    const secrets = deriveSessionSecrets(
      kx.survivorToCounselor.slice(),
      kx.counselorToSurvivor.slice(),
      fixedTh,
    );

    const { survivor: sv, counselor: cv } = vectorChannels();
    const channelFrames = {
      survivor: CHANNEL_MESSAGES.survivor.map((m) => frameHex(must(sv.seal(utf8(m))))),
      counselorFinal: frameHex(must(cv.close(utf8(CHANNEL_MESSAGES.counselorFinal)))),
    };

    const salt = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i);
    const staff = must(deriveStaffKeys(VECTOR_PASSWORD, salt, STAFF_KDF_PROFILE_FOR_TESTING));
    const wrapped = wrapSecretKey(staff.wrappingKey, identity.secretKey, {
      purpose: "identity",
      staffId: VECTOR_STAFF_ID,
    });

    return {
      seed: hex(VECTOR_SEED),
      sessionId: VECTOR_SESSION_ID,
      now: VECTOR_NOW,
      org: { publicKey: hex(org.publicKey), secretKey: hex(org.secretKey) },
      identity: { publicKey: hex(identity.publicKey), secretKey: hex(identity.secretKey) },
      certificate: hex(certificate),
      certificateHash: hex(certificateHash(certificate)),
      revocationList: hex(revocations),
      handshake: {
        survivorPublicKey: hex(survivorHandshake.publicKey),
        acceptBlob: hex(accepted.handshake),
        transcript: hex(transcript),
        transcriptHash: hex(th),
        safetyCode: survivor.safetyCode,
        counselorSafetyCode: accepted.safetyCode,
        counselor: survivor.counselor,
        frames: handshakeFrames,
      },
      keySchedule: {
        survivorSeed: "51".repeat(32),
        counselorSeed: "c0".repeat(32),
        kxSurvivorToCounselor: hex(kx.survivorToCounselor),
        kxCounselorToSurvivor: hex(kx.counselorToSurvivor),
        transcriptHash: hex(fixedTh),
        survivorToCounselor: {
          key: hex(secrets.survivorToCounselor.key),
          header: hex(secrets.survivorToCounselor.header),
        },
        counselorToSurvivor: {
          key: hex(secrets.counselorToSurvivor.key),
          header: hex(secrets.counselorToSurvivor.header),
        },
        safetyCode: safetyCodeFromTranscriptHash(fixedTh),
      },
      channel: { secrets: CHANNEL_SECRETS, messages: CHANNEL_MESSAGES, frames: channelFrames },
      staff: {
        password: VECTOR_PASSWORD,
        salt: hex(salt),
        profile: STAFF_KDF_PROFILE_FOR_TESTING,
        authKey: hex(staff.authKey),
        wrappingKey: hex(staff.wrappingKey),
        wrappedIdentityKey: hex(wrapped),
      },
    };
  } finally {
    useDeterministicRandomForTesting(null);
  }
}

export type CryptoVectors = ReturnType<typeof computeVectors>;
