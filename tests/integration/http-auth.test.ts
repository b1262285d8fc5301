import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http-client.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, b64, ed25519Keys, login, type Org, saltOf, setupOrg } from "../support/http-staff.ts";

describe("HTTP: setup, login, sessions, CSRF, roles", () => {
  let server: TestServer;
  let org: Org;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("reports setup as needed, accepts it once, then refuses it", async () => {
    expect((await api(server.url, "GET", "/api/setup")).json).toEqual({ needed: true });
    org = await setupOrg(server, server.clock.t);
    expect((await api(server.url, "GET", "/api/setup")).json).toEqual({ needed: false });
    const again = await api(server.url, "POST", "/api/setup", {
      body: {
        setupCode: server.instance.setupCode ?? "",
        orgPublicKey: b64(ed25519Keys().publicKey),
        admin: {
          username: "intruder",
          displayName: "Intruder",
          salt: b64(randomBytes(16)),
          authKey: b64(randomBytes(32)),
          identityPublicKey: b64(ed25519Keys().publicKey),
          wrappedIdentityKey: b64(randomBytes(104)),
          wrappedOrgKey: b64(randomBytes(104)),
        },
      },
    });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: "already-set-up" });
    expect(await login(server.url, "intruder", b64(randomBytes(32)))).toMatchObject({ status: 401 });
  });

  it("answers a stable fake salt of the same shape for unknown usernames", async () => {
    const real = await api(server.url, "POST", "/api/auth/salt", { body: { username: "admin" } });
    const fake1 = await api(server.url, "POST", "/api/auth/salt", { body: { username: "nobody" } });
    const fake2 = await api(server.url, "POST", "/api/auth/salt", { body: { username: "nobody" } });
    const other = await api(server.url, "POST", "/api/auth/salt", { body: { username: "someone-else" } });
    expect(real.status).toBe(200);
    expect(fake1.status).toBe(200);
    expect(Object.keys(fake1.json)).toEqual(Object.keys(real.json));
    expect(fake1.json.salt).toHaveLength(real.json.salt.length);
    expect(fake1.json.salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fake2.json.salt).toBe(fake1.json.salt);
    expect(other.json.salt).not.toBe(fake1.json.salt);
    expect(fake1.headers.get("content-type")).toBe(real.headers.get("content-type"));
  });

  it("answers one salt per username for ever: before the account exists, once enrolled, after a new password", async () => {
    const username = "lifelong";
    const before = await saltOf(server.url, username);
    const invite = await api(server.url, "POST", "/api/admin/staff", {
      body: { username, displayName: "Lifelong", role: "counselor" },
      cookie: org.admin.cookie,
      csrf: org.admin.csrf,
    });
    expect(invite.status).toBe(201);
    expect(await saltOf(server.url, username)).toBe(before);
    // Enrollment with any other salt is refused (it would show when the account was created).
    const enroll = (salt: string) =>
      api(server.url, "POST", "/api/enroll", {
        body: {
          username,
          inviteCode: invite.json.inviteCode,
          salt,
          authKey: b64(randomBytes(32)),
          identityPublicKey: b64(ed25519Keys().publicKey),
          wrappedIdentityKey: b64(randomBytes(104)),
        },
      });
    expect((await enroll(b64(randomBytes(16)))).status).toBe(400);
    expect((await enroll(before)).status).toBe(200);
    expect(await saltOf(server.url, username)).toBe(before);
    // A new password keeps the salt; one that tries another salt is refused.
    const member = await addStaff(server.url, org, server.clock.t, { username: "lifelong-two" });
    const salt2 = await saltOf(server.url, "lifelong-two");
    const change = (salt: string) =>
      api(server.url, "POST", "/api/auth/password", {
        body: {
          currentAuthKey: member.authKey,
          salt,
          authKey: b64(randomBytes(32)),
          wrappedIdentityKey: b64(randomBytes(104)),
        },
        cookie: member.cookie,
        csrf: member.csrf,
      });
    expect((await change(b64(randomBytes(16)))).status).toBe(400);
    expect((await change(salt2)).status).toBe(200);
    expect(await saltOf(server.url, "lifelong-two")).toBe(salt2);
  });

  it("logs in, sets a strict HttpOnly cookie, answers me, and logs out", async () => {
    const res = await login(server.url, "admin", org.admin.authKey);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(res.json.staff).toMatchObject({ id: org.admin.id, role: "admin", certified: true });
    expect(res.json.keys.orgPublicKey).toBe(b64(org.keys.publicKey));
    expect(typeof res.json.keys.wrappedOrgKey).toBe("string");
    const me = await api(server.url, "GET", "/api/auth/me", { cookie: res.cookie });
    expect(me.status).toBe(200);
    expect(me.json.staff.id).toBe(org.admin.id);
    expect(me.json.csrfToken).toBe(res.json.csrfToken);
    const out = await api(server.url, "POST", "/api/auth/logout", {
      cookie: res.cookie,
      csrf: res.json.csrfToken,
    });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await api(server.url, "GET", "/api/auth/me", { cookie: res.cookie })).json).toEqual({
      error: "unauthenticated",
    });
  });

  it("does not tell a wrong key from an unknown user", async () => {
    const wrong = await login(server.url, "admin", b64(randomBytes(32)));
    const unknown = await login(server.url, "ghost", b64(randomBytes(32)));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.cookie).toBeNull();
  });

  it("locks a username out after repeated failures, even with the right key, then lets it in later", async () => {
    const counselor = await addStaff(server.url, org, server.clock.t, { username: "lockme" });
    for (let i = 0; i < 5; i++) {
      expect((await login(server.url, "lockme", b64(randomBytes(32)))).status).toBe(401);
    }
    const locked = await login(server.url, "lockme", counselor.authKey);
    expect(locked.status).toBe(429);
    expect(locked.json).toEqual({ error: "locked-out" });
    server.clock.t += 16 * 60_000;
    expect((await login(server.url, "lockme", counselor.authKey)).status).toBe(200);
  });

  it("refuses mutating requests without the CSRF token or from another origin", async () => {
    const body = { username: "csrf-victim", displayName: "X", role: "counselor" };
    const { cookie, csrf } = org.admin;
    const noToken = await api(server.url, "POST", "/api/admin/staff", { body, cookie });
    const wrongToken = await api(server.url, "POST", "/api/admin/staff", {
      body,
      cookie,
      csrf: "A".repeat(43),
    });
    const otherOrigin = await api(server.url, "POST", "/api/admin/staff", {
      body,
      cookie,
      csrf,
      origin: "https://evil.example",
    });
    const noOrigin = await api(server.url, "POST", "/api/admin/staff", { body, cookie, csrf, origin: null });
    for (const res of [noToken, wrongToken, otherOrigin, noOrigin]) {
      expect(res.status).toBe(403);
      expect(res.json).toEqual({ error: "csrf" });
    }
    // Login CSRF: the login form itself only answers the helpline's origin.
    const crossLogin = await api(server.url, "POST", "/api/auth/login", {
      body: { username: "admin", authKey: org.admin.authKey },
      origin: "https://evil.example",
    });
    expect(crossLogin.status).toBe(403);
    const list = await api(server.url, "GET", "/api/admin/staff", { cookie });
    expect(list.json.staff.map((s: { username: string }) => s.username)).not.toContain("csrf-victim");
  });

  it("keeps counselors and supervisors out of admin routes", async () => {
    const counselor = await addStaff(server.url, org, server.clock.t, { username: "counsel1" });
    const supervisor = await addStaff(server.url, org, server.clock.t, {
      username: "super1",
      role: "supervisor",
    });
    const adminRoutes: [string, string, unknown][] = [
      ["GET", "/api/admin/staff", undefined],
      ["POST", "/api/admin/staff", { username: "sneaky", displayName: "S", role: "admin" }],
      ["GET", "/api/admin/partners", undefined],
      ["PUT", "/api/admin/settings", { chatLimit: 5 }],
      ["GET", "/api/admin/stats?from=2026-11-01&to=2026-11-30", undefined],
      ["GET", "/api/admin/stats.csv?from=2026-11-01&to=2026-11-30", undefined],
      ["PATCH", `/api/admin/staff/${counselor.id}`, { role: "admin" }],
      ["GET", "/api/admin/audit", undefined],
    ];
    for (const who of [counselor, supervisor]) {
      for (const [method, path, body] of adminRoutes) {
        const res = await api(server.url, method, path, { body, cookie: who.cookie, csrf: who.csrf });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.json).toEqual({ error: "forbidden" });
      }
      expect((await api(server.url, "GET", "/api/canned", { cookie: who.cookie })).status).toBe(200);
      expect((await api(server.url, "GET", "/api/referrals", { cookie: who.cookie })).status).toBe(200);
    }
    for (const [method, path, body] of adminRoutes) {
      const res = await api(server.url, method, path, { body });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "unauthenticated" });
    }
  });

  it("changes a password only with the current key, ending other sessions", async () => {
    const member = await addStaff(server.url, org, server.clock.t, { username: "changer" });
    const other = await login(server.url, "changer", member.authKey);
    const newKey = b64(randomBytes(32));
    const salt = await saltOf(server.url, "changer");
    const body = (currentAuthKey: string, accountSalt = salt) => ({
      currentAuthKey,
      salt: accountSalt,
      authKey: newKey,
      wrappedIdentityKey: b64(randomBytes(104)),
    });
    const auth = { cookie: member.cookie, csrf: member.csrf };
    const wrong = await api(server.url, "POST", "/api/auth/password", {
      body: body(b64(randomBytes(32))),
      ...auth,
    });
    expect(wrong.json).toEqual({ error: "invalid-credentials" });
    const changed = await api(server.url, "POST", "/api/auth/password", {
      body: body(member.authKey),
      ...auth,
    });
    expect(changed.status).toBe(200);
    expect(changed.cookie).not.toBeNull();
    expect((await api(server.url, "GET", "/api/auth/me", { cookie: other.cookie })).status).toBe(401);
    expect((await api(server.url, "GET", "/api/auth/me", { cookie: changed.cookie })).status).toBe(200);
    expect((await login(server.url, "changer", member.authKey)).status).toBe(401);
    expect((await login(server.url, "changer", newKey)).status).toBe(200);
    // An admin must re-wrap the org key, or it would be lost.
    const adminSession = await login(server.url, "admin", org.admin.authKey);
    const adminChange = await api(server.url, "POST", "/api/auth/password", {
      body: body(org.admin.authKey),
      cookie: adminSession.cookie,
      csrf: adminSession.json.csrfToken,
    });
    expect(adminChange.json).toEqual({ error: "bad-request" });

    // An admin still waiting for a copy of the org key changes the password without one, and
    // may not slip a "copy" in through this route (copies come from a holder sharing it).
    const pending = await addStaff(server.url, org, server.clock.t, { username: "newadmin", role: "admin" });
    const pendingAuth = { cookie: pending.cookie, csrf: pending.csrf };
    const pendingSalt = await saltOf(server.url, "newadmin");
    const smuggled = await api(server.url, "POST", "/api/auth/password", {
      body: { ...body(pending.authKey, pendingSalt), wrappedOrgKey: b64(randomBytes(104)) },
      ...pendingAuth,
    });
    expect(smuggled.json).toEqual({ error: "bad-request" });
    const pendingChange = await api(server.url, "POST", "/api/auth/password", {
      body: body(pending.authKey, pendingSalt),
      ...pendingAuth,
    });
    expect(pendingChange.status).toBe(200);
    expect((await login(server.url, "newadmin", newKey)).status).toBe(200);
  });

  it("records admin actions in the audit log, with ids and never content", async () => {
    const audit = await api(server.url, "GET", "/api/admin/audit", { cookie: org.admin.cookie });
    expect(audit.status).toBe(200);
    const actions = audit.json.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["org-setup", "staff-invite", "staff-certify", "login"]));
    expect(audit.text).not.toContain(org.admin.authKey);
  });
});
