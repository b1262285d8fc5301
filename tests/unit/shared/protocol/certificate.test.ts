import { createPublicKey, verify } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  generateOrgKeyPair,
  issueCertificate,
  signRevocationList,
} from "../../../../shared/crypto/staff/index.ts";
import {
  decodeCertificate,
  ED25519_SPKI_PREFIX,
  encodeCertificateBody,
  MAX_CERTIFICATE_BYTES,
} from "../../../../shared/protocol/certificate.ts";
import type { StaffId } from "../../../../shared/protocol/ids.ts";
import { decodeRevocationList } from "../../../../shared/protocol/revocation.ts";
import { certify, cryptoReady, mustOk, NOW } from "../../../support/crypto-kit.ts";

beforeAll(cryptoReady);

/** What the server does: plain Ed25519 with node:crypto, no libsodium. */
function nodeVerify(signed: Uint8Array, signature: Uint8Array, rawPublicKey: Uint8Array): boolean {
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, rawPublicKey]),
    format: "der",
    type: "spki",
  });
  return verify(null, signed, key, signature);
}

describe("certificate byte layout", () => {
  it("decodes what was issued, and node:crypto verifies the libsodium signature", () => {
    const org = generateOrgKeyPair();
    const c = certify(org, { staffId: "abc_DEF-9" as StaffId, displayName: "سارہ خان", role: "admin" });
    const decoded = mustOk(decodeCertificate(c.certificate));
    expect(decoded.body).toEqual({ ...c.body, orgPublicKey: org.publicKey });
    expect(decoded.body.displayName).toBe("سارہ خان");
    expect(nodeVerify(decoded.signed, decoded.signature, org.publicKey)).toBe(true);
    const tampered = decoded.signed.slice();
    tampered[20]! ^= 1;
    expect(nodeVerify(tampered, decoded.signature, org.publicKey)).toBe(false);
  });

  it("lays the fields out as PROTOCOL.md says", () => {
    const org = generateOrgKeyPair();
    const c = certify(org, { staffId: "s1" as StaffId, displayName: "A", notBefore: 1, notAfter: 2 ** 40 });
    const b = c.certificate;
    expect(new TextDecoder().decode(b.subarray(0, 14))).toBe("sahara-cert-v1");
    expect(b.subarray(14, 46)).toEqual(org.publicKey);
    expect(b[46]).toBe(1);
    expect(b.subarray(47, 79)).toEqual(c.identity.publicKey);
    expect(b.subarray(79, 95)).toEqual(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]));
    expect(b.subarray(95, 100)).toEqual(Uint8Array.from([2, 0x73, 0x31, 1, 0x41]));
    expect(mustOk(decodeCertificate(b)).signature).toEqual(b.subarray(100));
    expect(b.length).toBe(14 + 32 + 1 + 32 + 16 + 1 + 2 + 1 + 1 + 64);
  });

  it("refuses bodies outside the limits", () => {
    const base = {
      orgPublicKey: new Uint8Array(32),
      role: "counselor" as const,
      subjectPublicKey: new Uint8Array(32),
      notBefore: NOW,
      notAfter: NOW + 1,
      staffId: "s" as StaffId,
      displayName: "A",
    };
    expect(encodeCertificateBody(base).ok).toBe(true);
    for (const bad of [
      { ...base, notAfter: NOW },
      { ...base, displayName: "" },
      { ...base, displayName: "x".repeat(65) },
      { ...base, staffId: "not valid!" as StaffId },
      { ...base, subjectPublicKey: new Uint8Array(31) },
    ]) {
      expect(encodeCertificateBody(bad)).toEqual({ ok: false, error: "invalid-body" });
    }
    const org = generateOrgKeyPair();
    expect(issueCertificate(org.secretKey, { ...base, displayName: "" })).toEqual({
      ok: false,
      error: "invalid-body",
    });
  });

  it("bounds the size of any certificate", () => {
    expect(MAX_CERTIFICATE_BYTES).toBeLessThan(1024);
  });
});

describe("revocation list byte layout", () => {
  it("decodes what was signed, and node:crypto verifies it", () => {
    const org = generateOrgKeyPair();
    const keys = [new Uint8Array(32).fill(2), new Uint8Array(32).fill(1)];
    const bytes = mustOk(signRevocationList(org.secretKey, { issuedAt: NOW, revokedKeys: keys }));
    const decoded = mustOk(decodeRevocationList(bytes));
    expect(decoded.body).toEqual({
      orgPublicKey: org.publicKey,
      issuedAt: NOW,
      revokedKeys: [keys[1], keys[0]],
    });
    expect(nodeVerify(decoded.signed, decoded.signature, org.publicKey)).toBe(true);
  });

  it("refuses unsorted or duplicated keys (one canonical encoding)", () => {
    const org = generateOrgKeyPair();
    const bytes = mustOk(
      signRevocationList(org.secretKey, {
        issuedAt: NOW,
        revokedKeys: [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)],
      }),
    );
    const swapped = bytes.slice();
    swapped.set(bytes.subarray(65 + 32, 65 + 64), 65);
    swapped.set(bytes.subarray(65, 65 + 32), 65 + 32);
    expect(decodeRevocationList(swapped)).toEqual({ ok: false, error: "bad-encoding" });
  });
});
