import { beforeAll, describe, expect, it } from "vitest";
import {
  CLOCK_SKEW_MS,
  certificateHash,
  verifyCertificate,
  verifyRevocationList,
} from "../../../../shared/crypto/index.ts";
import { generateOrgKeyPair, signRevocationList } from "../../../../shared/crypto/staff/index.ts";
import { CERTIFICATE_MAGIC } from "../../../../shared/protocol/certificate.ts";
import { certify, cryptoReady, DAY, mustOk, NOW } from "../../../support/crypto-kit.ts";

beforeAll(cryptoReady);

describe("verifyCertificate", () => {
  it("accepts a certificate from the trusted org and returns its fields", () => {
    const org = generateOrgKeyPair();
    const c = certify(org, { displayName: "عائشہ", role: "supervisor" });
    const verified = mustOk(verifyCertificate(c.certificate, org.publicKey, NOW));
    expect(verified.body.displayName).toBe("عائشہ");
    expect(verified.body.role).toBe("supervisor");
    expect(verified.body.subjectPublicKey).toEqual(c.identity.publicKey);
    expect(verified.bytes).toEqual(c.certificate);
  });

  it("answers other-org for a certificate issued by another org", () => {
    const org = generateOrgKeyPair();
    const c = certify(generateOrgKeyPair());
    expect(verifyCertificate(c.certificate, org.publicKey, NOW)).toEqual({ ok: false, error: "other-org" });
  });

  it("answers bad-signature when a signed byte changed", () => {
    const org = generateOrgKeyPair();
    const c = certify(org, { displayName: "Ayesha" });
    const forged = c.certificate.slice();
    // The display name is the last field before the signature: "Ayesha" -> "Ayeshb".
    forged[forged.length - 65] = "b".charCodeAt(0);
    expect(verifyCertificate(forged, org.publicKey, NOW)).toEqual({ ok: false, error: "bad-signature" });
    const badSignature = c.certificate.slice();
    badSignature[badSignature.length - 1]! ^= 1;
    expect(verifyCertificate(badSignature, org.publicKey, NOW)).toEqual({
      ok: false,
      error: "bad-signature",
    });
  });

  it("answers expired and not-yet-valid outside the window widened by the clock skew", () => {
    const org = generateOrgKeyPair();
    const c = certify(org, { notBefore: NOW, notAfter: NOW + DAY });
    expect(verifyCertificate(c.certificate, org.publicKey, NOW - CLOCK_SKEW_MS).ok).toBe(true);
    expect(verifyCertificate(c.certificate, org.publicKey, NOW - CLOCK_SKEW_MS - 1)).toEqual({
      ok: false,
      error: "not-yet-valid",
    });
    expect(verifyCertificate(c.certificate, org.publicKey, NOW + DAY + CLOCK_SKEW_MS).ok).toBe(true);
    expect(verifyCertificate(c.certificate, org.publicKey, NOW + DAY + CLOCK_SKEW_MS + 1)).toEqual({
      ok: false,
      error: "expired",
    });
  });

  it("fails closed when the clock value is not a number", () => {
    const org = generateOrgKeyPair();
    const c = certify(org);
    expect(verifyCertificate(c.certificate, org.publicKey, Number.NaN)).toEqual({
      ok: false,
      error: "expired",
    });
    const list = mustOk(signRevocationList(org.secretKey, { issuedAt: NOW, revokedKeys: [] }));
    expect(verifyRevocationList(list, org.publicKey, Number.NaN)).toEqual({
      ok: false,
      error: "not-yet-valid",
    });
  });

  it("answers revoked when the subject key is on a verified revocation list", () => {
    const org = generateOrgKeyPair();
    const c = certify(org);
    const other = certify(org);
    const list = mustOk(
      verifyRevocationList(
        mustOk(signRevocationList(org.secretKey, { issuedAt: NOW, revokedKeys: [c.identity.publicKey] })),
        org.publicKey,
        NOW,
      ),
    );
    expect(verifyCertificate(c.certificate, org.publicKey, NOW, list)).toEqual({
      ok: false,
      error: "revoked",
    });
    expect(verifyCertificate(other.certificate, org.publicKey, NOW, list).ok).toBe(true);
  });

  it("answers bad-encoding for garbage, truncation and trailing bytes", () => {
    const org = generateOrgKeyPair();
    const c = certify(org);
    const withTrailing = new Uint8Array([...c.certificate, 0]);
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode(CERTIFICATE_MAGIC),
      c.certificate.slice(0, -1),
      withTrailing,
    ]) {
      expect(verifyCertificate(bytes, org.publicKey, NOW)).toEqual({ ok: false, error: "bad-encoding" });
    }
  });

  it("hashes the whole certificate with BLAKE2b-256", () => {
    const org = generateOrgKeyPair();
    const a = certify(org);
    const b = certify(org);
    expect(certificateHash(a.certificate)).toHaveLength(32);
    expect(certificateHash(a.certificate)).not.toEqual(certificateHash(b.certificate));
  });
});

describe("verifyRevocationList", () => {
  it("round-trips keys sorted and deduplicated", () => {
    const org = generateOrgKeyPair();
    const k1 = new Uint8Array(32).fill(9);
    const k2 = new Uint8Array(32).fill(3);
    const bytes = mustOk(signRevocationList(org.secretKey, { issuedAt: NOW, revokedKeys: [k1, k2, k1] }));
    const list = mustOk(verifyRevocationList(bytes, org.publicKey, NOW));
    expect(list.issuedAt).toBe(NOW);
    expect(list.revokedKeys).toEqual([k2, k1]);
  });

  it("answers other-org, bad-signature, not-yet-valid and bad-encoding", () => {
    const org = generateOrgKeyPair();
    const bytes = mustOk(signRevocationList(org.secretKey, { issuedAt: NOW, revokedKeys: [] }));
    expect(verifyRevocationList(bytes, generateOrgKeyPair().publicKey, NOW)).toEqual({
      ok: false,
      error: "other-org",
    });
    const flipped = bytes.slice();
    flipped[flipped.length - 70]! ^= 1; // inside issued-at, covered by the signature
    expect(verifyRevocationList(flipped, org.publicKey, NOW)).toEqual({ ok: false, error: "bad-signature" });
    expect(verifyRevocationList(bytes, org.publicKey, NOW - CLOCK_SKEW_MS - 1)).toEqual({
      ok: false,
      error: "not-yet-valid",
    });
    expect(verifyRevocationList(bytes.slice(1), org.publicKey, NOW)).toEqual({
      ok: false,
      error: "bad-encoding",
    });
  });
});
