import { generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import {
  assembleSigned,
  type CertificateRole,
  encodeCertificateBody,
} from "../../shared/protocol/certificate.ts";
import { encodeRevocationListBody } from "../../shared/protocol/revocation.ts";
import type { StaffId } from "../../shared/protocol/index.ts";
import { api } from "./http-client.ts";

/**
 * Staff and org keys for HTTP tests, made with node:crypto (the server's own verifier is
 * node:crypto too, but the bytes follow shared/protocol/certificate.ts, which the browsers'
 * libsodium code also reads).
 */
export type Ed25519Keys = Readonly<{ publicKey: Uint8Array; privateKey: KeyObject }>;

export function ed25519Keys(): Ed25519Keys {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" });
  return { publicKey: new Uint8Array(spki.subarray(spki.length - 32)), privateKey };
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

const DAY = 86_400_000;

export function makeCertificate(
  org: Ed25519Keys,
  subject: Readonly<{ id: string; role: CertificateRole; displayName: string; publicKey: Uint8Array }>,
  now: number,
  signer: Ed25519Keys = org,
): string {
  const body = encodeCertificateBody({
    orgPublicKey: org.publicKey,
    role: subject.role,
    subjectPublicKey: subject.publicKey,
    notBefore: now - DAY,
    notAfter: now + 90 * DAY,
    staffId: subject.id as StaffId,
    displayName: subject.displayName,
  });
  if (!body.ok) throw new Error("bad certificate body in test");
  return b64(assembleSigned(body.value, new Uint8Array(sign(null, body.value, signer.privateKey))));
}

export function makeRevocationList(org: Ed25519Keys, keys: readonly Uint8Array[], issuedAt: number): string {
  const body = encodeRevocationListBody({ orgPublicKey: org.publicKey, issuedAt, revokedKeys: keys });
  if (!body.ok) throw new Error("bad revocation body in test");
  return b64(assembleSigned(body.value, new Uint8Array(sign(null, body.value, org.privateKey))));
}

export type LoggedIn = Readonly<{
  id: string;
  username: string;
  displayName: string;
  authKey: string;
  identity: Ed25519Keys;
  cookie: string;
  csrf: string;
  /** The device cookie (`name=value`) this browser got at its last login or setup. */
  device: string;
}>;

/** The device cookie a login or setup answer set, as `name=value`. */
export function deviceCookieOf(response: Readonly<{ headers: Headers }>): string {
  const set = response.headers.getSetCookie().find((c) => /^(__Host-)?sahara-device=/.test(c));
  return set?.split(";")[0] ?? "";
}

export type Org = Readonly<{ keys: Ed25519Keys; admin: LoggedIn }>;

/** A server whose first-run setup is pending: its URL and the setup code createRelay made. */
export type SetupTarget = Readonly<{ url: string; instance: Readonly<{ setupCode: string | null }> }>;

/** First-run setup through the API, then the admin certifies itself (as the console does). */
export async function setupOrg(server: SetupTarget, now: number, username = "admin"): Promise<Org> {
  const base = server.url;
  const keys = ed25519Keys();
  const identity = ed25519Keys();
  const authKey = b64(randomBytes(32));
  const setup = await api(base, "POST", "/api/setup", {
    body: {
      setupCode: server.instance.setupCode ?? "",
      orgPublicKey: b64(keys.publicKey),
      admin: {
        username,
        displayName: "Admin",
        salt: await saltOf(base, username),
        authKey,
        identityPublicKey: b64(identity.publicKey),
        wrappedIdentityKey: b64(randomBytes(104)),
        wrappedOrgKey: b64(randomBytes(104)),
      },
    },
  });
  if (setup.status !== 201 || !setup.cookie) throw new Error(`setup failed: ${setup.status} ${setup.text}`);
  const id = setup.json.staff.id as string;
  const admin: LoggedIn = {
    id,
    username,
    displayName: "Admin",
    authKey,
    identity,
    cookie: setup.cookie,
    csrf: setup.json.csrfToken,
    device: deviceCookieOf(setup),
  };
  const certificate = makeCertificate(
    keys,
    { id, role: "admin", displayName: "Admin", publicKey: identity.publicKey },
    now,
  );
  const certified = await api(base, "POST", `/api/admin/staff/${id}/certificate`, {
    body: { certificate },
    cookie: admin.cookie,
    csrf: admin.csrf,
  });
  if (certified.status !== 200)
    throw new Error(`self-certification failed: ${certified.status} ${certified.text}`);
  return { keys, admin };
}

/** The salt the server assigns a username (`POST /api/auth/salt`): setup and enrollment must use it. */
export async function saltOf(base: string, username: string, origin?: string): Promise<string> {
  const res = await api(base, "POST", "/api/auth/salt", {
    body: { username },
    ...(origin ? { origin } : {}),
  });
  if (res.status !== 200) throw new Error(`salt failed: ${res.status} ${res.text}`);
  return res.json.salt as string;
}

export async function login(base: string, username: string, authKey: string) {
  return api(base, "POST", "/api/auth/login", { body: { username, authKey } });
}

/** Invite, enroll and log in a member; certified unless `certify` is false. */
export async function addStaff(
  base: string,
  org: Org,
  now: number,
  options: Readonly<{ username: string; role?: CertificateRole; certify?: boolean }>,
): Promise<LoggedIn> {
  const role = options.role ?? "counselor";
  const displayName = `Staff ${options.username}`;
  const invite = await api(base, "POST", "/api/admin/staff", {
    body: { username: options.username, displayName, role },
    cookie: org.admin.cookie,
    csrf: org.admin.csrf,
  });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${invite.text}`);
  const identity = ed25519Keys();
  const authKey = b64(randomBytes(32));
  const enroll = await api(base, "POST", "/api/enroll", {
    body: {
      username: options.username,
      inviteCode: invite.json.inviteCode,
      salt: await saltOf(base, options.username),
      authKey,
      identityPublicKey: b64(identity.publicKey),
      wrappedIdentityKey: b64(randomBytes(104)),
    },
  });
  if (enroll.status !== 200) throw new Error(`enroll failed: ${enroll.status} ${enroll.text}`);
  const id = enroll.json.staffId as string;
  if (options.certify ?? true) {
    const certificate = makeCertificate(
      org.keys,
      { id, role, displayName, publicKey: identity.publicKey },
      now,
    );
    const certified = await api(base, "POST", `/api/admin/staff/${id}/certificate`, {
      body: { certificate },
      cookie: org.admin.cookie,
      csrf: org.admin.csrf,
    });
    if (certified.status !== 200) throw new Error(`certify failed: ${certified.status} ${certified.text}`);
  }
  const session = await login(base, options.username, authKey);
  if (session.status !== 200 || !session.cookie) throw new Error(`login failed: ${session.status}`);
  return {
    id,
    username: options.username,
    displayName,
    authKey,
    identity,
    cookie: session.cookie,
    csrf: session.json.csrfToken,
    device: deviceCookieOf(session),
  };
}
