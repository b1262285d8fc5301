import {
  type CertificateBody,
  type CertificateRole,
  decodeCertificate,
} from "../../shared/protocol/certificate.ts";
import type { StaffId } from "../../shared/protocol/ids.ts";
import {
  type CounselorSession,
  counselorAccept,
  createSurvivorHandshake,
  ready,
  type SurvivorHandshake,
  type SurvivorSession,
  type VerifiedRevocationList,
} from "../../shared/crypto/index.ts";
import {
  generateIdentityKeyPair,
  generateOrgKeyPair,
  issueCertificate,
  type SigningKeyPair,
  ready as staffReady,
} from "../../shared/crypto/staff/index.ts";

/** Shared test kit for the crypto core: an org, certified counselors, established sessions. */
export const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
export const DAY = 86_400_000;
export const SESSION_ID = "c2Vzc2lvbi1pZC0wMDAwMQ";
export const OTHER_SESSION_ID = "b3RoZXItc2Vzc2lvbi0wMQ";

export async function cryptoReady(): Promise<void> {
  await ready();
  await staffReady();
}

export function mustOk<T, E extends string>(result: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

export type Counselor = Readonly<{
  identity: SigningKeyPair;
  certificate: Uint8Array;
  body: CertificateBody;
}>;

export function certify(
  org: SigningKeyPair,
  overrides: Partial<Omit<CertificateBody, "orgPublicKey">> = {},
  identity: SigningKeyPair = generateIdentityKeyPair(),
): Counselor {
  const body = {
    role: "counselor" as CertificateRole,
    subjectPublicKey: identity.publicKey,
    notBefore: NOW - DAY,
    notAfter: NOW + 7 * DAY,
    staffId: "counselor-1" as StaffId,
    displayName: "Ayesha",
    ...overrides,
  };
  const certificate = mustOk(issueCertificate(org.secretKey, body));
  return { identity, certificate, body: mustOk(decodeCertificate(certificate)).body };
}

export function makeOrg(): SigningKeyPair {
  return generateOrgKeyPair();
}

export type Established = Readonly<{
  survivor: SurvivorSession;
  counselor: CounselorSession;
  handshake: SurvivorHandshake;
}>;

/** Runs a whole honest handshake and returns both ends. */
export function establish(
  org: SigningKeyPair,
  counselor: Counselor,
  options: Readonly<{ sessionId?: string; epoch?: number; revocations?: VerifiedRevocationList }> = {},
): Established {
  const sessionId = options.sessionId ?? SESSION_ID;
  const epoch = options.epoch ?? 0;
  const handshake = createSurvivorHandshake();
  const accepted = mustOk(
    counselorAccept({
      sessionId,
      epoch,
      survivorPublicKey: handshake.publicKey,
      identitySecretKey: counselor.identity.secretKey,
      certificate: counselor.certificate,
    }),
  );
  const survivor = mustOk(
    handshake.complete(accepted.handshake, {
      sessionId,
      epoch,
      orgPublicKey: org.publicKey,
      nowMs: NOW,
      ...(options.revocations ? { revocations: options.revocations } : {}),
    }),
  );
  return { survivor, counselor: accepted, handshake };
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
