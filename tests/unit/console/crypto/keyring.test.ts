import { beforeAll, describe, expect, it } from "vitest";
import { createSurvivorHandshake, ready as readyCore } from "../../../../shared/crypto/index.ts";
import { ready, STAFF_KDF_PROFILE_FOR_TESTING } from "../../../../shared/crypto/staff/index.ts";
import { decodePayload, encodePayload } from "../../../../shared/protocol/index.ts";
import { createKeyring, wrapIdFor } from "../../../../console/src/crypto/keyring.ts";

const NOW = Date.UTC(2026, 10, 28, 12);
const DAY = 86_400_000;
const SESSION = "AAAAAAAAAAAAAAAAAAAAAA";

function must<T>(reply: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!reply.ok) throw new Error(`crypto reply failed: ${reply.error}`);
  return reply.value;
}

async function adminKeyring() {
  const keyring = createKeyring({ profile: STAFF_KDF_PROFILE_FOR_TESTING, now: () => NOW });
  const setup = must(
    keyring.handle({
      type: "create-setup",
      salt: new Uint8Array(16).fill(7),
      username: "amina",
      password: "correct horse battery",
    }),
  );
  const cert = must(
    keyring.handle({
      type: "issue-certificate",
      staffId: "admin1",
      displayName: "Amina",
      role: "admin",
      subjectPublicKey: setup.identityPublicKey,
      notBefore: NOW - DAY,
      notAfter: NOW + 14 * DAY,
    }),
  );
  return { keyring, setup, certificate: cert.certificate };
}

describe("console keyring (runs inside the crypto worker)", () => {
  beforeAll(async () => {
    await Promise.all([ready(), readyCore()]);
  });

  it("binds wrapped keys to the username", () => {
    expect(wrapIdFor("amina")).toBe("YW1pbmE");
    expect(wrapIdFor("a.b-c")).not.toBe(wrapIdFor("a.b_c"));
  });

  it("sets up, logs in again with the same password and unlocks with a verified certificate", async () => {
    const { setup, certificate } = await adminKeyring();
    const fresh = createKeyring({ profile: STAFF_KDF_PROFILE_FOR_TESTING, now: () => NOW });
    const login = must(
      fresh.handle({ type: "derive-login", password: "correct horse battery", salt: setup.salt }),
    );
    expect(login.authKey).toEqual(setup.authKey);
    const unlocked = must(
      fresh.handle({
        type: "unlock",
        username: "amina",
        identityPublicKey: setup.identityPublicKey,
        wrappedIdentityKey: setup.wrappedIdentityKey,
        wrappedOrgKey: setup.wrappedOrgKey,
        orgPublicKey: setup.orgPublicKey,
        certificate,
      }),
    );
    expect(unlocked).toEqual({ canCertify: true, certified: true });
  });

  it("refuses a wrong password, and a key wrapped for another username", async () => {
    const { setup } = await adminKeyring();
    const k = createKeyring({ profile: STAFF_KDF_PROFILE_FOR_TESTING, now: () => NOW });
    const base = {
      type: "unlock" as const,
      identityPublicKey: setup.identityPublicKey,
      wrappedIdentityKey: setup.wrappedIdentityKey,
      wrappedOrgKey: null,
      orgPublicKey: setup.orgPublicKey,
      certificate: null,
    };
    must(k.handle({ type: "derive-login", password: "wrong password!!", salt: setup.salt }));
    expect(k.handle({ ...base, username: "amina" })).toEqual({ ok: false, error: "wrong-password" });
    must(k.handle({ type: "derive-login", password: "correct horse battery", salt: setup.salt }));
    expect(k.handle({ ...base, username: "bilal" })).toEqual({ ok: false, error: "wrong-password" });
    // The wrapping key is used once: a second unlock without a new derive is refused.
    expect(k.handle({ ...base, username: "amina" })).toEqual({ ok: false, error: "locked" });
  });

  it("accepts a chat the survivor can verify, and both sides read each other", async () => {
    const { keyring, setup, certificate } = await adminKeyring();
    must(keyring.handle({ type: "set-certificate", certificate }));
    const survivor = createSurvivorHandshake();
    const accepted = must(
      keyring.handle({ type: "accept", sessionId: SESSION, epoch: 0, survivorKey: survivor.publicKey }),
    );
    const done = survivor.complete(accepted.handshake, {
      sessionId: SESSION,
      epoch: 0,
      orgPublicKey: setup.orgPublicKey,
      nowMs: NOW,
    });
    if (!done.ok) throw new Error(done.error);
    expect(done.value.safetyCode).toBe(accepted.safetyCode);
    expect(done.value.counselor.displayName).toBe("Amina");

    const sealed = must(
      keyring.handle({
        type: "seal",
        sessionId: SESSION,
        payload: { type: "text", id: "m1", body: "hello" },
        final: false,
      }),
    );
    const opened = done.value.channel.open(sealed.seq, sealed.ciphertext);
    if (!opened.ok) throw new Error(opened.error);
    expect(decodePayload(opened.value.payload)).toEqual({
      ok: true,
      value: { type: "text", id: "m1", body: "hello" },
    });

    const reply = done.value.channel.seal(encodePayload({ type: "text", id: "s1", body: "I need help" }));
    if (!reply.ok) throw new Error(reply.error);
    const back = keyring.handle({
      type: "open",
      sessionId: SESSION,
      epoch: 0,
      seq: reply.value.seq,
      ciphertext: reply.value.ciphertext,
    });
    expect(back).toEqual({
      ok: true,
      value: { payload: { type: "text", id: "s1", body: "I need help" }, final: false },
    });
    // A resent duplicate is refused before decryption.
    expect(
      keyring.handle({
        type: "open",
        sessionId: SESSION,
        epoch: 0,
        seq: reply.value.seq,
        ciphertext: reply.value.ciphertext,
      }),
    ).toEqual({ ok: false, error: "duplicate" });

    expect(must(keyring.handle({ type: "unacked", sessionId: SESSION })).frames).toHaveLength(1);
    must(keyring.handle({ type: "ack", sessionId: SESSION, seq: sealed.seq }));
    expect(must(keyring.handle({ type: "unacked", sessionId: SESSION })).frames).toHaveLength(0);

    must(keyring.handle({ type: "lock" }));
    expect(
      keyring.handle({
        type: "seal",
        sessionId: SESSION,
        payload: { type: "typing", active: true },
        final: false,
      }),
    ).toEqual({
      ok: false,
      error: "unknown-session",
    });
    expect(
      keyring.handle({ type: "accept", sessionId: SESSION, epoch: 0, survivorKey: survivor.publicKey }),
    ).toEqual({
      ok: false,
      error: "locked",
    });
  });

  it("refuses to take chats without a certificate for its own key", async () => {
    const { keyring } = await adminKeyring();
    const other = await adminKeyring();
    expect(keyring.handle({ type: "set-certificate", certificate: other.certificate })).toEqual({
      ok: false,
      error: "bad-certificate",
    });
    const survivor = createSurvivorHandshake();
    expect(
      keyring.handle({ type: "accept", sessionId: SESSION, epoch: 0, survivorKey: survivor.publicKey }),
    ).toEqual({
      ok: false,
      error: "not-certified",
    });
  });

  it("seals a handover note only the receiving counselor opens", async () => {
    const b = createKeyring({ profile: STAFF_KDF_PROFILE_FOR_TESTING, now: () => NOW });
    const bSetup = must(
      b.handle({
        type: "create-enrollment",
        salt: new Uint8Array(16).fill(7),
        username: "bilal",
        password: "another long password",
      }),
    );
    const a2 = await adminKeyring();
    must(a2.keyring.handle({ type: "set-certificate", certificate: a2.certificate }));
    const bCert = must(
      a2.keyring.handle({
        type: "issue-certificate",
        staffId: "bilal1",
        displayName: "Bilal",
        role: "counselor",
        subjectPublicKey: bSetup.identityPublicKey,
        notBefore: NOW - DAY,
        notAfter: NOW + DAY,
      }),
    );
    must(b.handle({ type: "derive-login", password: "another long password", salt: bSetup.salt }));
    must(
      b.handle({
        type: "unlock",
        username: "bilal",
        identityPublicKey: bSetup.identityPublicKey,
        wrappedIdentityKey: bSetup.wrappedIdentityKey,
        wrappedOrgKey: null,
        orgPublicKey: a2.setup.orgPublicKey,
        certificate: bCert.certificate,
      }),
    );
    const sealed = must(
      a2.keyring.handle({
        type: "seal-note",
        sessionId: SESSION,
        recipientPublicKey: bSetup.identityPublicKey,
        text: "Blackmail on WhatsApp; FIA referral discussed",
        transcript: [
          { from: "survivor", body: "He says he will post the photos", at: 1 },
          { from: "counselor", body: "You did the right thing to reach out", at: 2 },
        ],
      }),
    );
    expect(b.handle({ type: "open-note", sessionId: SESSION, sealed: sealed.sealed, nowMs: NOW })).toEqual({
      ok: true,
      value: {
        text: "Blackmail on WhatsApp; FIA referral discussed",
        fromName: "Amina",
        transcript: [
          { from: "survivor", body: "He says he will post the photos", at: 1 },
          { from: "counselor", body: "You did the right thing to reach out", at: 2 },
        ],
      },
    });
    expect(
      b.handle({ type: "open-note", sessionId: "BBBBBBBBBBBBBBBBBBBBBB", sealed: sealed.sealed, nowMs: NOW }),
    ).toEqual({
      ok: false,
      error: "decrypt-failed",
    });
  });

  it("re-wraps the same keys under a new password, re-proving the current one", async () => {
    const { keyring, setup, certificate } = await adminKeyring();
    const re = must(
      keyring.handle({
        type: "rewrap",
        username: "amina",
        currentPassword: "correct horse battery",
        currentSalt: setup.salt,
        newPassword: "an entirely new passphrase",
      }),
    );
    expect(re.currentAuthKey).toEqual(setup.authKey);
    // Same salt (it never changes), new password: a new auth key.
    expect(re.salt).toEqual(setup.salt);
    expect(re.authKey).not.toEqual(setup.authKey);
    if (re.wrappedOrgKey === null) throw new Error("admin's org key must be re-wrapped");
    const fresh = createKeyring({ profile: STAFF_KDF_PROFILE_FOR_TESTING, now: () => NOW });
    must(fresh.handle({ type: "derive-login", password: "an entirely new passphrase", salt: re.salt }));
    expect(
      fresh.handle({
        type: "unlock",
        username: "amina",
        identityPublicKey: setup.identityPublicKey,
        wrappedIdentityKey: re.wrappedIdentityKey,
        wrappedOrgKey: re.wrappedOrgKey,
        orgPublicKey: setup.orgPublicKey,
        certificate,
      }),
    ).toEqual({ ok: true, value: { canCertify: true, certified: true } });
  });
});
