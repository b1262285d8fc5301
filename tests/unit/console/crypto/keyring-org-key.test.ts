import { beforeAll, describe, expect, it } from "vitest";
import { ready as readyCore, verifyCertificate } from "../../../../shared/crypto/index.ts";
import { ready, STAFF_KDF_PROFILE_FOR_TESTING } from "../../../../shared/crypto/staff/index.ts";
import { createKeyring } from "../../../../console/src/crypto/keyring.ts";

const NOW = Date.UTC(2026, 10, 28, 12);
const DAY = 86_400_000;
const PASSWORD = "correct horse battery";

function must<T>(reply: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!reply.ok) throw new Error(`crypto reply failed: ${reply.error}`);
  return reply.value;
}

const newKeyring = () => createKeyring({ profile: STAFF_KDF_PROFILE_FOR_TESTING, now: () => NOW });

/** The first admin (holds the org key, certified) and a second, certified admin without it. */
function twoAdmins() {
  const first = newKeyring();
  const setup = must(
    first.handle({
      type: "create-setup",
      salt: new Uint8Array(16).fill(7),
      username: "amina",
      password: PASSWORD,
    }),
  );
  const certify = (staffId: string, subjectPublicKey: Uint8Array) =>
    must(
      first.handle({
        type: "issue-certificate",
        staffId,
        displayName: staffId,
        role: "admin",
        subjectPublicKey,
        notBefore: NOW - DAY,
        notAfter: NOW + 14 * DAY,
      }),
    ).certificate;
  must(first.handle({ type: "set-certificate", certificate: certify("admin1", setup.identityPublicKey) }));
  const enrolled = must(
    newKeyring().handle({
      type: "create-enrollment",
      salt: new Uint8Array(16).fill(7),
      username: "bilal",
      password: PASSWORD,
    }),
  );
  const bilalCertificate = certify("admin2", enrolled.identityPublicKey);
  return { first, setup, enrolled, bilalCertificate };
}

function unlockBilal(
  p: ReturnType<typeof twoAdmins>,
  keys: Readonly<{ wrappedOrgKey: Uint8Array | null; pendingOrgKey: Uint8Array | null }>,
) {
  const keyring = newKeyring();
  must(keyring.handle({ type: "derive-login", password: PASSWORD, salt: p.enrolled.salt }));
  const unlocked = must(
    keyring.handle({
      type: "unlock",
      username: "bilal",
      identityPublicKey: p.enrolled.identityPublicKey,
      wrappedIdentityKey: p.enrolled.wrappedIdentityKey,
      orgPublicKey: p.setup.orgPublicKey,
      certificate: p.bilalCertificate,
      ...keys,
    }),
  );
  return { keyring, unlocked };
}

describe("console keyring: sharing the org key between admins", () => {
  beforeAll(async () => {
    await Promise.all([ready(), readyCore()]);
  });

  it("opens a shared key at login, re-wraps it, and certifies with it on the next login", () => {
    const p = twoAdmins();
    const { sealed } = must(
      p.first.handle({ type: "seal-org-key", recipientPublicKey: p.enrolled.identityPublicKey }),
    );

    const before = unlockBilal(p, { wrappedOrgKey: null, pendingOrgKey: null });
    expect(before.unlocked.canCertify).toBe(false);
    expect(before.unlocked.adoptedOrgKey).toBeUndefined();

    const adopted = unlockBilal(p, { wrappedOrgKey: null, pendingOrgKey: sealed });
    expect(adopted.unlocked.canCertify).toBe(true);
    expect(adopted.unlocked.certified).toBe(true);
    const wrapped = adopted.unlocked.adoptedOrgKey;
    expect(wrapped).toBeInstanceOf(Uint8Array);
    expect(wrapped?.length).toBe(105);

    // Next login: only the wrapped copy, under Bilal's own password.
    const later = unlockBilal(p, { wrappedOrgKey: wrapped ?? null, pendingOrgKey: null });
    expect(later.unlocked.canCertify).toBe(true);
    const issued = must(
      later.keyring.handle({
        type: "issue-certificate",
        staffId: "counselor1",
        displayName: "Nadia",
        role: "counselor",
        subjectPublicKey: p.enrolled.identityPublicKey,
        notBefore: NOW - DAY,
        notAfter: NOW + DAY,
      }),
    );
    expect(verifyCertificate(issued.certificate, p.setup.orgPublicKey, NOW).ok).toBe(true);
  });

  it("ignores a damaged share and does not offer a copy to store", () => {
    const p = twoAdmins();
    const { sealed } = must(
      p.first.handle({ type: "seal-org-key", recipientPublicKey: p.enrolled.identityPublicKey }),
    );
    const bad = sealed.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    const { unlocked } = unlockBilal(p, { wrappedOrgKey: null, pendingOrgKey: bad });
    expect(unlocked.canCertify).toBe(false);
    expect(unlocked.adoptedOrgKey).toBeUndefined();
  });

  it("cannot share a key it does not hold", () => {
    const p = twoAdmins();
    const { keyring } = unlockBilal(p, { wrappedOrgKey: null, pendingOrgKey: null });
    expect(keyring.handle({ type: "seal-org-key", recipientPublicKey: p.setup.identityPublicKey })).toEqual({
      ok: false,
      error: "no-org-key",
    });
  });
});
