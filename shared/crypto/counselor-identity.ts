import type { CertificateBody, CertificateRole } from "../protocol/certificate.ts";
import type { StaffId } from "../protocol/ids.ts";

/** Who the survivor is talking to, as the org certified it. */
export type CounselorIdentity = Readonly<{ staffId: StaffId; displayName: string; role: CertificateRole }>;

export function identityOf(body: CertificateBody): CounselorIdentity {
  return { staffId: body.staffId, displayName: body.displayName, role: body.role };
}
