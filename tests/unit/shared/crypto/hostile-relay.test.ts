import { beforeAll, describe, expect, it } from "vitest";
import { decodeAcceptBlob, encodeAcceptBlob } from "../../../../shared/crypto/accept-blob.ts";
import type { Direction } from "../../../../shared/crypto/associated-data.ts";
import { certificateHash } from "../../../../shared/crypto/certificate.ts";
import { createChannel } from "../../../../shared/crypto/channel.ts";
import {
  type Channel,
  counselorAccept,
  createSurvivorHandshake,
  verifyRevocationList,
} from "../../../../shared/crypto/index.ts";
import { sodium } from "../../../../shared/crypto/sodium.ts";
import { generateOrgKeyPair, signRevocationList } from "../../../../shared/crypto/staff/index.ts";
import { encodeTranscript } from "../../../../shared/crypto/transcript.ts";
import { randomBytes } from "../../../../shared/crypto/random.ts";
import { generateEphemeralKeyPair } from "../../../../shared/crypto/x25519.ts";
import {
  certify,
  cryptoReady,
  DAY,
  establish,
  mustOk,
  NOW,
  OTHER_SESSION_ID,
  SESSION_ID,
  utf8,
} from "../../../support/crypto-kit.ts";

/**
 * The relay is the adversary: it sees and may alter every envelope. Each case must end in a
 * specific error code, never in plaintext.
 */
beforeAll(cryptoReady);

/** Curve25519 points of small order (libsodium's blacklist), plus their high-bit variants. */
const LOW_ORDER_POINTS = [
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
  "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
].map((hex) => Uint8Array.from(Buffer.from(hex, "hex")));

function setup() {
  const org = generateOrgKeyPair();
  const counselor = certify(org);
  return { org, counselor };
}

const context = (
  orgPublicKey: Uint8Array,
  overrides: Partial<{ sessionId: string; epoch: number; nowMs: number }> = {},
) => ({
  sessionId: SESSION_ID,
  epoch: 0,
  orgPublicKey,
  nowMs: NOW,
  ...overrides,
});

function accept(
  counselor: ReturnType<typeof certify>,
  survivorPublicKey: Uint8Array,
  sessionId = SESSION_ID,
  epoch = 0,
) {
  return mustOk(
    counselorAccept({
      sessionId,
      epoch,
      survivorPublicKey,
      identitySecretKey: counselor.identity.secretKey,
      certificate: counselor.certificate,
    }),
  ).handshake;
}

describe("hostile relay: handshake", () => {
  it("swapped survivor key: the counselor signed the relay's key, the survivor refuses", () => {
    const { org, counselor } = setup();
    const survivor = createSurvivorHandshake();
    const relayKey = generateEphemeralKeyPair();
    const blob = accept(counselor, relayKey.publicKey);
    expect(survivor.complete(blob, context(org.publicKey))).toEqual({
      ok: false,
      error: "bad-transcript-signature",
    });
  });

  it("swapped counselor key: the relay's ephemeral key is not the signed one", () => {
    const { org, counselor } = setup();
    const survivor = createSurvivorHandshake();
    const blob = mustOk(decodeAcceptBlob(accept(counselor, survivor.publicKey)));
    const swapped = encodeAcceptBlob({ ...blob, counselorPublicKey: generateEphemeralKeyPair().publicKey });
    expect(survivor.complete(swapped, context(org.publicKey))).toEqual({
      ok: false,
      error: "bad-transcript-signature",
    });
  });

  it("a forged accept does not stop the genuine one from completing", () => {
    const { org, counselor } = setup();
    const survivor = createSurvivorHandshake();
    const genuine = accept(counselor, survivor.publicKey);
    const forged = accept(counselor, generateEphemeralKeyPair().publicKey);
    expect(survivor.complete(forged, context(org.publicKey)).ok).toBe(false);
    expect(survivor.complete(genuine, context(org.publicKey)).ok).toBe(true);
    expect(survivor.complete(genuine, context(org.publicKey))).toEqual({ ok: false, error: "used" });
  });

  it("certificate from another org", () => {
    const { org } = setup();
    const stranger = certify(generateOrgKeyPair());
    const survivor = createSurvivorHandshake();
    expect(survivor.complete(accept(stranger, survivor.publicKey), context(org.publicKey))).toEqual({
      ok: false,
      error: "other-org",
    });
  });

  it("expired and not-yet-valid certificates", () => {
    const { org } = setup();
    const expired = certify(org, { notBefore: NOW - 10 * DAY, notAfter: NOW - DAY });
    const future = certify(org, { notBefore: NOW + DAY, notAfter: NOW + 10 * DAY });
    const s1 = createSurvivorHandshake();
    expect(s1.complete(accept(expired, s1.publicKey), context(org.publicKey))).toEqual({
      ok: false,
      error: "expired",
    });
    const s2 = createSurvivorHandshake();
    expect(s2.complete(accept(future, s2.publicKey), context(org.publicKey))).toEqual({
      ok: false,
      error: "not-yet-valid",
    });
  });

  it("revoked counselor", () => {
    const { org, counselor } = setup();
    const revocations = mustOk(
      verifyRevocationList(
        mustOk(
          signRevocationList(org.secretKey, {
            issuedAt: NOW - DAY,
            revokedKeys: [counselor.identity.publicKey],
          }),
        ),
        org.publicKey,
        NOW,
      ),
    );
    const survivor = createSurvivorHandshake();
    expect(
      survivor.complete(accept(counselor, survivor.publicKey), { ...context(org.publicKey), revocations }),
    ).toEqual({ ok: false, error: "revoked" });
  });

  it("signature replayed from another session or another epoch", () => {
    const { org, counselor } = setup();
    const survivor = createSurvivorHandshake();
    const otherSession = accept(counselor, survivor.publicKey, OTHER_SESSION_ID);
    expect(survivor.complete(otherSession, context(org.publicKey))).toEqual({
      ok: false,
      error: "bad-transcript-signature",
    });
    const otherEpoch = accept(counselor, survivor.publicKey, SESSION_ID, 1);
    expect(survivor.complete(otherEpoch, context(org.publicKey))).toEqual({
      ok: false,
      error: "bad-transcript-signature",
    });
  });

  it("certificate swapped for another certificate of the same counselor key", () => {
    const { org, counselor } = setup();
    const survivor = createSurvivorHandshake();
    const blob = mustOk(decodeAcceptBlob(accept(counselor, survivor.publicKey)));
    // Same identity key, different name: the transcript binds the certificate hash.
    const renamed = certify(org, { displayName: "Someone else" }, counselor.identity);
    const swapped = encodeAcceptBlob({ ...blob, certificate: renamed.certificate });
    expect(survivor.complete(swapped, context(org.publicKey))).toEqual({
      ok: false,
      error: "bad-transcript-signature",
    });
  });

  it("malformed accept blobs", () => {
    const { org, counselor } = setup();
    const survivor = createSurvivorHandshake();
    const blob = accept(counselor, survivor.publicKey);
    for (const bad of [
      new Uint8Array(0),
      blob.slice(0, -1),
      new Uint8Array([...blob, 0]),
      new Uint8Array([2, ...blob.slice(1)]),
    ]) {
      expect(survivor.complete(bad, context(org.publicKey))).toEqual({ ok: false, error: "bad-handshake" });
    }
  });

  it("session ids that cannot be bound unambiguously are refused on both sides", () => {
    const { org, counselor } = setup();
    const survivor = createSurvivorHandshake();
    const blob = accept(counselor, survivor.publicKey);
    for (const sessionId of ["", "é".repeat(22), "x".repeat(256), "with space"]) {
      expect(survivor.complete(blob, context(org.publicKey, { sessionId }))).toEqual({
        ok: false,
        error: "bad-handshake",
      });
      expect(
        counselorAccept({
          sessionId,
          epoch: 0,
          survivorPublicKey: survivor.publicKey,
          identitySecretKey: counselor.identity.secretKey,
          certificate: counselor.certificate,
        }),
      ).toEqual({ ok: false, error: "bad-encoding" });
    }
  });

  it("low-order survivor key: the counselor refuses to accept", () => {
    const { counselor } = setup();
    for (const point of LOW_ORDER_POINTS) {
      expect(
        counselorAccept({
          sessionId: SESSION_ID,
          epoch: 0,
          survivorPublicKey: point,
          identitySecretKey: counselor.identity.secretKey,
          certificate: counselor.certificate,
        }),
      ).toEqual({ ok: false, error: "low-order-key" });
    }
  });

  it("low-order counselor key, even when validly signed: the survivor refuses", () => {
    const { org, counselor } = setup();
    for (const point of LOW_ORDER_POINTS) {
      const survivor = createSurvivorHandshake();
      const transcript = encodeTranscript({
        sessionId: SESSION_ID,
        epoch: 0,
        survivorPublicKey: survivor.publicKey,
        counselorPublicKey: point,
        certificateHash: certificateHash(counselor.certificate),
      });
      const signature = sodium().crypto_sign_detached(transcript, counselor.identity.secretKey);
      const blob = encodeAcceptBlob({
        counselorPublicKey: point,
        certificate: counselor.certificate,
        signature,
      });
      expect(survivor.complete(blob, context(org.publicKey))).toEqual({ ok: false, error: "low-order-key" });
    }
  });
});

describe("hostile relay: frames", () => {
  function channels() {
    const { org, counselor } = setup();
    const { survivor, counselor: c } = establish(org, counselor);
    return { s: survivor.channel, c: c.channel };
  }
  const seal = (channel: Channel, text: string) => mustOk(channel.seal(utf8(text)));

  it("duplicated frames are dropped before decryption", () => {
    const { s, c } = channels();
    const f = seal(s, "once");
    expect(mustOk(c.open(f.seq, f.ciphertext)).payload).toEqual(utf8("once"));
    expect(c.open(f.seq, f.ciphertext)).toEqual({ ok: false, error: "duplicate" });
    // Even garbage under an old seq is a duplicate: no decryption is attempted at all.
    expect(c.open(f.seq, new Uint8Array(40))).toEqual({ ok: false, error: "duplicate" });
  });

  it("reordered frames: the early one is refused, then both open in order", () => {
    const { s, c } = channels();
    const f0 = seal(s, "first");
    const f1 = seal(s, "second");
    expect(c.open(f1.seq, f1.ciphertext)).toEqual({ ok: false, error: "out-of-order" });
    expect(mustOk(c.open(f0.seq, f0.ciphertext)).payload).toEqual(utf8("first"));
    expect(mustOk(c.open(f1.seq, f1.ciphertext)).payload).toEqual(utf8("second"));
  });

  it("a frame moved to another position fails to decrypt", () => {
    const { s, c } = channels();
    seal(s, "first");
    const f1 = seal(s, "second");
    expect(c.open(0, f1.ciphertext)).toEqual({ ok: false, error: "decrypt-failed" });
  });

  it("dropped frame: everything after it is out-of-order until it is resent", () => {
    const { s, c } = channels();
    const f0 = seal(s, "dropped");
    const f1 = seal(s, "after");
    expect(c.open(f1.seq, f1.ciphertext)).toEqual({ ok: false, error: "out-of-order" });
    const resent = s.unacked();
    expect(resent[0]).toEqual(f0);
    for (const f of resent) expect(c.open(f.seq, f.ciphertext).ok).toBe(true);
  });

  it("a forged ack for frames never sent is ignored", () => {
    const { s } = channels();
    const f = seal(s, "kept");
    s.ack(5);
    s.ack(Number.NaN);
    expect(s.unacked()).toEqual([f]);
  });

  it("truncated frames fail (secretstream throws on short input; we catch it)", () => {
    const { s, c } = channels();
    const f = seal(s, "whole");
    for (const cut of [0, 1, 16, 17, f.ciphertext.length - 1]) {
      expect(c.open(f.seq, f.ciphertext.slice(0, cut))).toEqual({ ok: false, error: "decrypt-failed" });
    }
    expect(mustOk(c.open(f.seq, f.ciphertext)).payload).toEqual(utf8("whole"));
  });

  it("a forged frame does not poison the stream", () => {
    const { s, c } = channels();
    const f = seal(s, "genuine");
    const forged = f.ciphertext.slice();
    forged[20]! ^= 0x80;
    expect(c.open(f.seq, forged)).toEqual({ ok: false, error: "decrypt-failed" });
    expect(mustOk(c.open(f.seq, f.ciphertext)).payload).toEqual(utf8("genuine"));
  });

  it("reflected frames (sent back to their sender) fail", () => {
    const { s, c } = channels();
    const fromSurvivor = seal(s, "to the counselor");
    expect(s.open(fromSurvivor.seq, fromSurvivor.ciphertext)).toEqual({ ok: false, error: "decrypt-failed" });
    const fromCounselor = seal(c, "to the survivor");
    expect(c.open(fromCounselor.seq, fromCounselor.ciphertext)).toEqual({
      ok: false,
      error: "decrypt-failed",
    });
  });

  it("cross-session frames fail", () => {
    const a = channels();
    const b = channels();
    const f = seal(a.s, "session a");
    expect(b.c.open(f.seq, f.ciphertext)).toEqual({ ok: false, error: "decrypt-failed" });
  });

  it("flipped bytes anywhere in a frame fail", () => {
    const { s, c } = channels();
    const f = seal(s, "integrity");
    for (const index of [0, 1, 16, 17, 100, f.ciphertext.length - 1]) {
      const flipped = f.ciphertext.slice();
      flipped[index]! ^= 1;
      expect(c.open(f.seq, flipped)).toEqual({ ok: false, error: "decrypt-failed" });
    }
  });
});

describe("hostile relay: associated data", () => {
  // Same keys, different session id / epoch / direction on the receiving side: only the
  // associated data differs, so these cases isolate the AD binding from the key schedule.
  const secrets = () => ({
    s2c: { key: randomBytes(32), header: randomBytes(24) },
    c2s: { key: randomBytes(32), header: randomBytes(24) },
  });
  const copy = (x: { key: Uint8Array; header: Uint8Array }) => ({
    key: x.key.slice(),
    header: x.header.slice(),
  });
  function receiverWith(
    k: ReturnType<typeof secrets>,
    sessionId: string,
    epoch: number,
    sendDirection: Direction,
  ) {
    return createChannel({ sessionId, epoch, sendDirection, send: copy(k.c2s), receive: copy(k.s2c) });
  }

  it.each([
    ["session id", OTHER_SESSION_ID, 0, "counselor-to-survivor"],
    ["one session id character", `${SESSION_ID.slice(0, -1)}R`, 0, "counselor-to-survivor"],
    ["epoch", SESSION_ID, 1, "counselor-to-survivor"],
    ["direction", SESSION_ID, 0, "survivor-to-counselor"],
  ] as const)("a frame whose %s differs fails", (_name, sessionId, epoch, sendDirection) => {
    const k = secrets();
    const sender = createChannel({
      sessionId: SESSION_ID,
      epoch: 0,
      sendDirection: "survivor-to-counselor",
      send: copy(k.s2c),
      receive: copy(k.c2s),
    });
    const f = mustOk(sender.seal(utf8("bound")));
    expect(receiverWith(k, sessionId, epoch, sendDirection).open(f.seq, f.ciphertext)).toEqual({
      ok: false,
      error: "decrypt-failed",
    });
    // Control: the matching receiver opens it, so the failure above is the AD alone.
    expect(
      mustOk(receiverWith(k, SESSION_ID, 0, "counselor-to-survivor").open(f.seq, f.ciphertext)).payload,
    ).toEqual(utf8("bound"));
  });
});
