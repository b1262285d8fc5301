import { randomBytes } from "node:crypto";
import type { FreshHelpline } from "./browser-console.ts";
import { api } from "./http-client.ts";
import { b64, type Ed25519Keys, ed25519Keys, makeCertificate, saltOf } from "./http-staff.ts";

/**
 * An organisation and certified counselors made through the real HTTP API (setup, invite,
 * enroll, certify, login), for browser tests whose counselor is scripted rather than the
 * console. Keys are node:crypto Ed25519; `secretKey` gives libsodium's 64-byte form
 * (seed || public key) for the crypto core's counselorAccept.
 */
export type StaffMember = Readonly<{
  id: string;
  username: string;
  displayName: string;
  identity: Ed25519Keys;
  secretKey: Uint8Array;
  /** The certificate the admin signed (the bytes the relay and the widget verify). */
  certificate: Uint8Array;
  cookie: string;
  csrf: string;
}>;

export type TestOrg = Readonly<{ keys: Ed25519Keys; admin: StaffMember }>;

export function libsodiumSecretKey(keys: Ed25519Keys): Uint8Array {
  const pkcs8 = keys.privateKey.export({ format: "der", type: "pkcs8" });
  const seed = pkcs8.subarray(pkcs8.length - 32);
  return new Uint8Array(Buffer.concat([seed, Buffer.from(keys.publicKey)]));
}

function must(response: { status: number; text: string }, expected: number, step: string): void {
  if (response.status !== expected) throw new Error(`${step} failed: ${response.status} ${response.text}`);
}

export async function setupTestOrg(helpline: FreshHelpline, displayName = "Admin"): Promise<TestOrg> {
  const origin = helpline.origin;
  const keys = ed25519Keys();
  const identity = ed25519Keys();
  const setup = await api(origin, "POST", "/api/setup", {
    origin,
    body: {
      setupCode: helpline.instance.setupCode ?? "",
      orgPublicKey: b64(keys.publicKey),
      admin: {
        username: "admin",
        displayName,
        salt: await saltOf(origin, "admin", origin),
        authKey: b64(randomBytes(32)),
        identityPublicKey: b64(identity.publicKey),
        wrappedIdentityKey: b64(randomBytes(104)),
        wrappedOrgKey: b64(randomBytes(104)),
      },
    },
  });
  must(setup, 201, "setup");
  const id = setup.json.staff.id as string;
  const certificate = makeCertificate(
    keys,
    { id, role: "admin", displayName, publicKey: identity.publicKey },
    Date.now(),
  );
  const admin: StaffMember = {
    id,
    username: "admin",
    displayName,
    identity,
    secretKey: libsodiumSecretKey(identity),
    certificate: new Uint8Array(Buffer.from(certificate, "base64url")),
    cookie: setup.cookie ?? "",
    csrf: setup.json.csrfToken,
  };
  must(
    await api(origin, "POST", `/api/admin/staff/${id}/certificate`, {
      origin,
      body: { certificate },
      cookie: admin.cookie,
      csrf: admin.csrf,
    }),
    200,
    "self-certification",
  );
  return { keys, admin };
}

export async function addCounselor(
  origin: string,
  org: TestOrg,
  username: string,
  displayName: string,
): Promise<StaffMember> {
  const admin = { origin, cookie: org.admin.cookie, csrf: org.admin.csrf };
  const invite = await api(origin, "POST", "/api/admin/staff", {
    ...admin,
    body: { username, displayName, role: "counselor" },
  });
  must(invite, 201, "invite");
  const identity = ed25519Keys();
  const authKey = b64(randomBytes(32));
  const enroll = await api(origin, "POST", "/api/enroll", {
    origin,
    body: {
      username,
      inviteCode: invite.json.inviteCode,
      salt: await saltOf(origin, username, origin),
      authKey,
      identityPublicKey: b64(identity.publicKey),
      wrappedIdentityKey: b64(randomBytes(104)),
    },
  });
  must(enroll, 200, "enroll");
  const id = enroll.json.staffId as string;
  const certificate = makeCertificate(
    org.keys,
    { id, role: "counselor", displayName, publicKey: identity.publicKey },
    Date.now(),
  );
  must(
    await api(origin, "POST", `/api/admin/staff/${id}/certificate`, { ...admin, body: { certificate } }),
    200,
    "certify",
  );
  const session = await api(origin, "POST", "/api/auth/login", { origin, body: { username, authKey } });
  must(session, 200, "login");
  return {
    id,
    username,
    displayName,
    identity,
    secretKey: libsodiumSecretKey(identity),
    certificate: new Uint8Array(Buffer.from(certificate, "base64url")),
    cookie: session.cookie ?? "",
    csrf: session.json.csrfToken,
  };
}
