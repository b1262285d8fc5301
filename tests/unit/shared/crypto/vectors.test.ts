import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  openHandoverNote,
  verifyCertificate,
  verifyRevocationList,
} from "../../../../shared/crypto/index.ts";
import { STAFF_KDF_PROFILE_FOR_TESTING, unwrapSecretKey } from "../../../../shared/crypto/staff/index.ts";
import { decodeCertificate, ED25519_SPKI_PREFIX } from "../../../../shared/protocol/certificate.ts";
import { cryptoReady, mustOk } from "../../../support/crypto-kit.ts";
import {
  type CryptoVectors,
  computeVectors,
  unhex,
  vectorChannels,
} from "../../../support/crypto-vectors.ts";

/** Known-answer vectors, written by scripts/gen-crypto-vectors.ts and checked on every run. */
type Stored = CryptoVectors & { handoverNote: { note: string; sealed: string } };
const stored = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "../../../fixtures/crypto/vectors.json"), "utf8"),
) as Stored;

beforeAll(cryptoReady);

describe("crypto known-answer vectors", () => {
  it("recomputing from the fixed seed gives exactly the stored bytes", () => {
    const { handoverNote: _sealedElsewhere, ...expected } = stored;
    expect(computeVectors()).toEqual(expected);
  });

  it("the stored certificate and revocation list verify, with libsodium and with node:crypto", () => {
    const org = unhex(stored.org.publicKey);
    const verified = mustOk(verifyCertificate(unhex(stored.certificate), org, stored.now));
    expect(verified.body.displayName).toBe("Ayesha عائشہ");
    const decoded = mustOk(decodeCertificate(unhex(stored.certificate)));
    const key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, org]),
      format: "der",
      type: "spki",
    });
    expect(verify(null, decoded.signed, key, decoded.signature)).toBe(true);
    expect(
      mustOk(verifyRevocationList(unhex(stored.revocationList), org, stored.now)).revokedKeys,
    ).toHaveLength(2);
  });

  it("the stored channel frames open with the stored secrets, and sealing again gives the same bytes", () => {
    const { survivor, counselor } = vectorChannels();
    stored.channel.frames.survivor.forEach((frame, i) => {
      const opened = mustOk(counselor.open(frame.seq, unhex(frame.ciphertext)));
      expect(new TextDecoder().decode(opened.payload)).toBe(stored.channel.messages.survivor[i]);
    });
    const final = stored.channel.frames.counselorFinal;
    const opened = mustOk(survivor.open(final.seq, unhex(final.ciphertext)));
    expect(opened.final).toBe(true);
    expect(new TextDecoder().decode(opened.payload)).toBe(stored.channel.messages.counselorFinal);
    // A frame sealed for epoch 0 does not open at epoch 1 (the epoch is in the associated data).
    const other = vectorChannels(1);
    const first = stored.channel.frames.survivor[0]!;
    expect(other.counselor.open(first.seq, unhex(first.ciphertext))).toEqual({
      ok: false,
      error: "decrypt-failed",
    });
  });

  it("the stored handshake agrees on the safety code and names the counselor", () => {
    expect(stored.handshake.safetyCode).toBe(stored.handshake.counselorSafetyCode);
    expect(stored.handshake.safetyCode).toMatch(/^\d{3} \d{3}$/);
    expect(stored.handshake.counselor).toEqual({
      staffId: "counselor-1",
      displayName: "Ayesha عائشہ",
      role: "counselor",
    });
  });

  it("the stored wrapped key unwraps with the stored wrapping key", () => {
    expect(stored.staff.profile).toEqual(STAFF_KDF_PROFILE_FOR_TESTING);
    const unwrapped = mustOk(
      unwrapSecretKey(unhex(stored.staff.wrappingKey), unhex(stored.staff.wrappedIdentityKey), {
        purpose: "identity",
        staffId: stored.handshake.counselor.staffId,
      }),
    );
    expect(unwrapped).toEqual(unhex(stored.identity.secretKey));
  });

  it("the stored sealed handover note opens for its recipient", () => {
    const opened = mustOk(
      openHandoverNote(unhex(stored.handoverNote.sealed), {
        sessionId: stored.sessionId,
        recipientPublicKey: unhex(stored.identity.publicKey),
        recipientSecretKey: unhex(stored.identity.secretKey),
        orgPublicKey: unhex(stored.org.publicKey),
        nowMs: stored.now,
      }),
    );
    expect(opened.note).toEqual(unhex(stored.handoverNote.note));
  });
});
