import { describe, expect, it } from "vitest";
import { assembleSigned, encodeCertificateBody } from "../../../../shared/protocol/certificate.ts";
import type { StaffId } from "../../../../shared/protocol/index.ts";
import { certificateExpiry, RENEW_WITHIN_DAYS } from "../../../../console/src/state/certificate-expiry.ts";
import { encodeBase64url } from "../../../../console/src/crypto/base64url.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 12);

/** Certificate bytes with a given validity; the signature is not read, so zeros do. */
function certificate(notAfter: number): string {
  const body = encodeCertificateBody({
    orgPublicKey: new Uint8Array(32).fill(1),
    role: "counselor",
    subjectPublicKey: new Uint8Array(32).fill(2),
    notBefore: NOW - 30 * DAY,
    notAfter,
    staffId: "amina1" as StaffId,
    displayName: "Amina",
  });
  if (!body.ok) throw new Error(body.error);
  return encodeBase64url(assembleSigned(body.value, new Uint8Array(64)));
}

describe("certificate expiry", () => {
  it("is valid with more than a week left, expiring within it, expired after", () => {
    expect(certificateExpiry(certificate(NOW + 20 * DAY), NOW)).toEqual({
      type: "valid",
      notAfter: NOW + 20 * DAY,
      daysLeft: 20,
    });
    expect(certificateExpiry(certificate(NOW + RENEW_WITHIN_DAYS * DAY), NOW)).toMatchObject({
      type: "expiring",
      daysLeft: RENEW_WITHIN_DAYS,
    });
    // An hour left is still "1 day", never "0 days".
    expect(certificateExpiry(certificate(NOW + 3_600_000), NOW)).toMatchObject({
      type: "expiring",
      daysLeft: 1,
    });
    expect(certificateExpiry(certificate(NOW - 1), NOW)).toEqual({ type: "expired", notAfter: NOW - 1 });
  });

  it("answers null for no certificate or bytes that are not one", () => {
    expect(certificateExpiry(null, NOW)).toBeNull();
    expect(certificateExpiry("not base64url!", NOW)).toBeNull();
    expect(certificateExpiry(encodeBase64url(new Uint8Array(40)), NOW)).toBeNull();
  });
});
