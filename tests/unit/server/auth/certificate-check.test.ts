import { describe, expect, it } from "vitest";
import { checkCertificate, checkRevocationList } from "../../../../server/auth/certificate-check.ts";
import { verifyEd25519 } from "../../../../server/auth/org-signature.ts";
import type { StaffId } from "../../../../shared/protocol/index.ts";
import { ed25519Keys, makeCertificate, makeRevocationList } from "../../../support/http-staff.ts";

const now = Date.UTC(2026, 10, 30);
const bytes = (s: string) => new Uint8Array(Buffer.from(s, "base64url"));

describe("org signatures checked with node:crypto", () => {
  const org = ed25519Keys();
  const identity = ed25519Keys();
  const subject = {
    id: "abc123" as StaffId,
    role: "counselor" as const,
    displayName: "Sana",
    identityPublicKey: identity.publicKey,
  };
  const certify = (
    over: Partial<{
      id: string;
      role: "counselor" | "admin";
      displayName: string;
      publicKey: Uint8Array;
    }> = {},
    signer = org,
    at = now,
  ) =>
    bytes(
      makeCertificate(
        org,
        {
          id: subject.id,
          role: subject.role,
          displayName: subject.displayName,
          publicKey: identity.publicKey,
          ...over,
        },
        at,
        signer,
      ),
    );

  it("accepts a certificate the org key signed for this account", () => {
    const result = checkCertificate(certify(), org.publicKey, subject, now);
    expect(result.ok).toBe(true);
  });

  it("rejects any single flipped bit", () => {
    const good = certify();
    for (const index of [0, 20, 50, good.length - 70, good.length - 1]) {
      const bad = good.slice();
      bad[index]! ^= 0x01;
      expect(checkCertificate(bad, org.publicKey, subject, now), `byte ${index}`).toEqual({
        ok: false,
        error: "bad-certificate",
      });
    }
  });

  it("rejects another org, another signer, a mismatched account, and an expired window", () => {
    const other = ed25519Keys();
    expect(checkCertificate(certify(), other.publicKey, subject, now).ok).toBe(false);
    expect(checkCertificate(certify({}, other), org.publicKey, subject, now).ok).toBe(false);
    expect(checkCertificate(certify({ id: "other" }), org.publicKey, subject, now).ok).toBe(false);
    expect(checkCertificate(certify({ role: "admin" }), org.publicKey, subject, now).ok).toBe(false);
    expect(checkCertificate(certify({ displayName: "Sara" }), org.publicKey, subject, now).ok).toBe(false);
    expect(checkCertificate(certify({ publicKey: other.publicKey }), org.publicKey, subject, now).ok).toBe(
      false,
    );
    expect(checkCertificate(certify(), org.publicKey, subject, now + 365 * 86_400_000).ok).toBe(false);
    expect(checkCertificate(new Uint8Array(10), org.publicKey, subject, now).ok).toBe(false);
  });

  it("verifies revocation lists against the org key only", () => {
    const list = bytes(makeRevocationList(org, [identity.publicKey], now));
    const checked = checkRevocationList(list, org.publicKey);
    expect(checked.ok && checked.value.revokedKeys).toEqual([identity.publicKey]);
    expect(
      checkRevocationList(bytes(makeRevocationList(ed25519Keys(), [identity.publicKey], now)), org.publicKey),
    ).toEqual({
      ok: false,
      error: "bad-revocation-list",
    });
    const tampered = list.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(checkRevocationList(tampered, org.publicKey).ok).toBe(false);
  });

  it("never throws on wrong-sized keys or signatures", () => {
    expect(verifyEd25519(new Uint8Array(31), new Uint8Array(1), new Uint8Array(64))).toBe(false);
    expect(verifyEd25519(new Uint8Array(32), new Uint8Array(1), new Uint8Array(63))).toBe(false);
    expect(verifyEd25519(new Uint8Array(32), new Uint8Array(1), new Uint8Array(64))).toBe(false);
  });
});
