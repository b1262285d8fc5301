import { beforeAll, describe, expect, it } from "vitest";
import { generateOrgKeyPair, openOrgKey, sealOrgKey } from "../../../../shared/crypto/staff/index.ts";
import { certify, cryptoReady, DAY, mustOk, NOW } from "../../../support/crypto-kit.ts";

beforeAll(cryptoReady);

function parties() {
  const org = generateOrgKeyPair();
  const from = certify(org, { staffId: "admin-1" as never, role: "admin", displayName: "Ayesha" });
  const to = certify(org, { staffId: "admin-2" as never, role: "admin", displayName: "Bilal" });
  return { org, from, to };
}

type Parties = ReturnType<typeof parties>;

function seal(p: Parties, orgSecretKey = p.org.secretKey, from = p.from) {
  return mustOk(
    sealOrgKey({
      orgSecretKey,
      recipientPublicKey: p.to.identity.publicKey,
      senderSecretKey: from.identity.secretKey,
      senderCertificate: from.certificate,
    }),
  );
}

const context = (p: Parties) => ({
  recipientPublicKey: p.to.identity.publicKey,
  recipientSecretKey: p.to.identity.secretKey,
  orgPublicKey: p.org.publicKey,
  nowMs: NOW,
});

describe("org key share", () => {
  it("round-trips the org secret key to the recipient admin", () => {
    const p = parties();
    const opened = mustOk(openOrgKey(seal(p), context(p)));
    expect(opened).toEqual(p.org.secretKey);
  });

  it("does not open for another identity key", () => {
    const p = parties();
    const other = certify(p.org, { staffId: "admin-3" as never, role: "admin" });
    const result = openOrgKey(seal(p), {
      ...context(p),
      recipientPublicKey: other.identity.publicKey,
      recipientSecretKey: other.identity.secretKey,
    });
    expect(result).toEqual({ ok: false, error: "decrypt-failed" });
  });

  it("rejects any flipped byte", () => {
    const p = parties();
    const sealed = seal(p);
    for (const i of [0, 31, 32, 60, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[i] = (bad[i] ?? 0) ^ 1;
      expect(openOrgKey(bad, context(p)).ok).toBe(false);
    }
    expect(openOrgKey(sealed.subarray(0, 40), context(p))).toEqual({ ok: false, error: "decrypt-failed" });
  });

  it("refuses a share signed by a counselor", () => {
    const p = parties();
    const counselor = certify(p.org, { staffId: "c-1" as never, role: "counselor" });
    expect(openOrgKey(seal(p, p.org.secretKey, counselor), context(p))).toEqual({
      ok: false,
      error: "not-admin",
    });
  });

  it("refuses a share from an admin of another org", () => {
    const p = parties();
    const otherOrg = generateOrgKeyPair();
    const stranger = certify(otherOrg, { staffId: "admin-9" as never, role: "admin" });
    expect(openOrgKey(seal(p, p.org.secretKey, stranger), context(p)).ok).toBe(false);
  });

  it("refuses a correctly signed share of a key that is not the org key", () => {
    const p = parties();
    const forged = generateOrgKeyPair().secretKey;
    // The sharer signs the public half it actually sealed, so the signature no longer matches.
    expect(openOrgKey(seal(p, forged), context(p))).toEqual({ ok: false, error: "bad-share-signature" });
    // A forged seed carrying the real org public key in its cached half.
    const spliced = forged.slice();
    spliced.set(p.org.publicKey, 32);
    expect(openOrgKey(seal(p, spliced), context(p))).toEqual({ ok: false, error: "bad-share-signature" });
  });

  it("refuses an expired sharer certificate", () => {
    const p = parties();
    const old = certify(p.org, {
      staffId: "admin-1" as never,
      role: "admin",
      notBefore: NOW - 9 * DAY,
      notAfter: NOW - DAY,
    });
    expect(openOrgKey(seal(p, p.org.secretKey, old), context(p))).toEqual({ ok: false, error: "expired" });
  });

  it("rejects a malformed org secret key when sealing", () => {
    const p = parties();
    const r = sealOrgKey({
      orgSecretKey: new Uint8Array(32),
      recipientPublicKey: p.to.identity.publicKey,
      senderSecretKey: p.from.identity.secretKey,
      senderCertificate: p.from.certificate,
    });
    expect(r).toEqual({ ok: false, error: "bad-org-key" });
  });
});
