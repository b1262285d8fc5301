import { decodeCertificate } from "../../../shared/protocol/certificate.ts";
import { decodeBase64url } from "../crypto/base64url.ts";

/**
 * Certificates are short-lived (30 days) and survivors refuse an expired one, so a counselor
 * whose certificate lapses can take no chat until an admin renews it. This reads the validity
 * from the certificate bytes (no signature check: the server checked it when it was stored)
 * so the staff screen and the desk can warn ahead of time.
 */
export const RENEW_WITHIN_DAYS = 7;
const DAY_MS = 86_400_000;

export type CertificateExpiry =
  | Readonly<{ type: "valid"; notAfter: number; daysLeft: number }>
  | Readonly<{ type: "expiring"; notAfter: number; daysLeft: number }>
  | Readonly<{ type: "expired"; notAfter: number }>;

export function certificateExpiry(certificate: string | null, now: number): CertificateExpiry | null {
  if (certificate === null) return null;
  const bytes = decodeBase64url(certificate);
  if (!bytes.ok) return null;
  const decoded = decodeCertificate(bytes.value);
  if (!decoded.ok) return null;
  const { notAfter } = decoded.value.body;
  if (now > notAfter) return { type: "expired", notAfter };
  // Whole days left, rounded up: "1 day" until the last moment, never "0 days".
  const daysLeft = Math.ceil((notAfter - now) / DAY_MS);
  return daysLeft <= RENEW_WITHIN_DAYS
    ? { type: "expiring", notAfter, daysLeft }
    : { type: "valid", notAfter, daysLeft };
}
