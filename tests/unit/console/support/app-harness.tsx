import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeAll } from "vitest";
import { ready as readyCore } from "../../../../shared/crypto/index.ts";
import { ready } from "../../../../shared/crypto/staff/index.ts";
import type { Role, SessionInfo, StaffSummary } from "../../../../shared/protocol/http/index.ts";
import { createApi } from "../../../../console/src/adapters/api.ts";
import { createHttpClient } from "../../../../console/src/adapters/http-client.ts";
import { createSessionActions } from "../../../../console/src/adapters/session.ts";
import { App } from "../../../../console/src/app.tsx";
import { decodeBase64url, encodeBase64url } from "../../../../console/src/crypto/base64url.ts";
import { FakeTransport, fakeFetch, inProcessCrypto, type Route } from "./fakes.ts";

export const NOW = Date.UTC(2026, 10, 28, 12);

export type Account = Readonly<{
  username: string;
  password: string;
  role: Role;
  salt: string;
  authKey: string;
  identityPublicKey: string;
  wrappedIdentityKey: string;
  wrappedOrgKey: string | null;
  orgPublicKey: string;
  certificate: string;
  orgSignerCrypto: ReturnType<typeof inProcessCrypto>;
}>;

/** An account made the way setup makes one (org key + identity), certified by that org key. */
export async function makeAccount(
  username: string,
  password: string,
  role: Role,
  withOrgKey: boolean,
  /** How long the account's certificate stays valid (default 30 days). */
  validForMs = 30 * 86_400_000,
): Promise<Account> {
  const crypto = inProcessCrypto(() => NOW);
  const made = await crypto.call({
    type: "create-setup",
    salt: new Uint8Array(16).fill(7),
    username,
    password,
  });
  if (!made.ok) throw new Error(made.error);
  const cert = await crypto.call({
    type: "issue-certificate",
    staffId: `${username}-id`,
    displayName: username[0]?.toUpperCase() + username.slice(1),
    role,
    subjectPublicKey: made.value.identityPublicKey,
    notBefore: NOW - 60_000,
    notAfter: NOW + validForMs,
  });
  if (!cert.ok) throw new Error(cert.error);
  const m = made.value;
  return {
    username,
    password,
    role,
    salt: encodeBase64url(m.salt),
    authKey: encodeBase64url(m.authKey),
    identityPublicKey: encodeBase64url(m.identityPublicKey),
    wrappedIdentityKey: encodeBase64url(m.wrappedIdentityKey),
    wrappedOrgKey: withOrgKey ? encodeBase64url(m.wrappedOrgKey) : null,
    orgPublicKey: encodeBase64url(m.orgPublicKey),
    certificate: encodeBase64url(cert.value.certificate),
    orgSignerCrypto: crypto,
  };
}

/**
 * For the screen tests of the calling describe block that log in as the organisation's admin,
 * Amina: the crypto ready and her account made once before them; after each test the app
 * unmounted and the route cleared, so the next one starts at the first screen. Call the returned
 * function inside a test for the account.
 */
export function adminScreenTests(): () => Account {
  let amina: Account | null = null;
  beforeAll(async () => {
    await Promise.all([ready(), readyCore()]);
    amina = await makeAccount("amina", "correct horse battery staple", "admin", true);
  });
  afterEach(() => {
    cleanup();
    location.hash = "";
  });
  return () => {
    if (!amina) throw new Error("no account yet: call inside a test");
    return amina;
  };
}

export function sessionFor(a: Account, chatLimit = 2): SessionInfo {
  return {
    csrfToken: "csrf-token-1",
    staff: {
      id: `${a.username}-id` as SessionInfo["staff"]["id"],
      username: a.username,
      displayName: a.username[0]?.toUpperCase() + a.username.slice(1),
      role: a.role,
      chatLimit,
      certified: true,
    },
    expiresAt: NOW + 3_600_000,
    keys: {
      identityPublicKey: a.identityPublicKey,
      wrappedIdentityKey: a.wrappedIdentityKey,
      certificate: a.certificate,
      orgPublicKey: a.orgPublicKey,
      wrappedOrgKey: a.wrappedOrgKey,
    },
  };
}

/** Routes every logged-in console loads, plus a login that checks the auth key. */
export function loginRoutes(a: Account): Record<string, Route | ((body: unknown) => Route)> {
  return {
    "GET /api/setup": { status: 200, body: { needed: false } },
    "POST /api/auth/salt": { status: 200, body: { salt: a.salt } },
    "POST /api/auth/login": (body) =>
      (body as { authKey: string }).authKey === a.authKey &&
      (body as { username: string }).username === a.username
        ? { status: 200, body: sessionFor(a) }
        : { status: 401, body: { error: "invalid-credentials" } },
    "POST /api/auth/logout": { status: 204 },
    "GET /api/staff/directory": { status: 200, body: { staff: [] } },
    "GET /api/canned": {
      status: 200,
      body: {
        responses: [
          {
            id: "c1",
            language: "en",
            title: "Greeting",
            body: "You are safe to talk here.",
            tags: ["start"],
          },
          { id: "c2", language: "ur", title: "سلام", body: "آپ یہاں محفوظ ہیں۔", tags: [] },
        ],
      },
    },
    "GET /api/referrals": {
      status: 200,
      body: {
        referrals: [
          {
            id: "r1",
            language: "en",
            name: "FIA Cyber Crime Wing",
            category: "law-enforcement",
            description: "Registers complaints.",
            contact: "1991",
            howToPrepare: "Screenshots",
            needsVerification: false,
          },
        ],
      },
    },
  };
}

export function mountApp(
  routes: Record<string, Route | ((body: unknown) => Route)>,
  /** The console's clock (default: fixed at NOW); tests of timers move it. */
  now: () => number = () => NOW,
) {
  const fetch = fakeFetch(routes);
  const api = createApi(createHttpClient(fetch));
  const crypto = inProcessCrypto(() => NOW);
  const session = createSessionActions(api, crypto, now);
  const transport = new FakeTransport();
  const view = render(
    <App
      services={{ api, session, now }}
      crypto={crypto}
      connect={() => transport}
      notify={() => () => {}}
    />,
  );
  return { fetch, crypto, transport, view };
}

/** Mounts the console with these routes, unlocks it as `account`, then goes to `hash`. */
export async function loggedInAt(
  account: Account,
  hash: string,
  extra: Parameters<typeof mountApp>[0] = {},
): Promise<ReturnType<typeof mountApp>> {
  const app = mountApp({ ...loginRoutes(account), ...extra });
  await screen.findByRole("heading", { name: "Unlock the console" });
  fireEvent.input(screen.getByLabelText("Username"), { target: { value: account.username } });
  fireEvent.input(screen.getByLabelText("Password"), { target: { value: account.password } });
  fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
  await screen.findByRole("heading", { name: /Waiting/ }, { timeout: 3000 });
  location.hash = hash;
  window.dispatchEvent(new HashChangeEvent("hashchange"));
  return app;
}

/** Base64url text as bytes; throws on bad input (test data is never bad on purpose here). */
export function bytes(text: string | null | undefined): Uint8Array {
  const r = decodeBase64url(text ?? "!");
  if (!r.ok) throw new Error("bad base64url");
  return r.value;
}

/** A staff list entry: a certified counselor unless `over` says otherwise. */
export const member = (over: Partial<StaffSummary>): StaffSummary =>
  ({
    id: "x",
    username: "x",
    displayName: "X",
    role: "counselor",
    state: "certified",
    disabled: false,
    chatLimit: null,
    languages: null,
    identityPublicKey: null,
    certificate: null,
    createdAt: NOW,
    ...over,
  }) as StaffSummary;

/** Requests the console sent with this method and path, in order. */
export const sentTo = (app: ReturnType<typeof mountApp>, method: string, path: string) =>
  app.fetch.calls.filter((c) => c.method === method && c.path === path);

/** Types a whole value into a field, as one input event. */
export const typeIn = (field: HTMLElement, value: string) => fireEvent.input(field, { target: { value } });

/** The texts a field is described by (hint and error, joined with " | "), or "" when none. */
export function fieldDescription(field: HTMLElement): string {
  return (field.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" | ");
}
