import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { allCookies, wrongKey } from "../support/adversary.ts";
import { api } from "../support/http-client.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, b64, ed25519Keys, type Org, saltOf, setupOrg } from "../support/http-staff.ts";

/**
 * One server and organisation for a describe block; each test starts after the previous one's
 * lockout has ended.
 */
function serverWithOrg(): { server: TestServer; org: Org } {
  const ctx = {} as { server: TestServer; org: Org };
  beforeAll(async () => {
    ctx.server = await startTestServer();
    ctx.org = await setupOrg(ctx.server, ctx.server.clock.t);
  });
  afterAll(async () => {
    await ctx.server?.close();
  });
  beforeEach(() => {
    ctx.server.clock.t += 16 * 60_000;
  });
  return ctx;
}

/**
 * An outsider against the login: many wrong guesses sent at once, and a flood from one address
 * meant to lock the whole team out (behind a proxy without TRUST_PROXY, every request shares
 * one address, as every request here shares 127.0.0.1).
 */
describe("adversarial: login lockout", () => {
  const ctx = serverWithOrg();

  const login = (username: string, authKey: string, cookie?: string) =>
    api(ctx.server.url, "POST", "/api/auth/login", {
      body: { username, authKey },
      ...(cookie ? { cookie } : {}),
    });

  it("60 simultaneous wrong logins for one username: at most 5 are checked", async () => {
    const member = await addStaff(ctx.server.url, ctx.org, ctx.server.clock.t, { username: "raced" });
    const answers = await Promise.all(Array.from({ length: 60 }, () => login("raced", wrongKey())));
    const checked = answers.filter((a) => a.json?.error === "invalid-credentials").length;
    const refused = answers.filter((a) => a.json?.error === "locked-out").length;
    expect(checked + refused).toBe(60);
    expect(checked).toBeLessThanOrEqual(5);
    // And the right key is refused too while locked, from a device that never logged in here.
    expect((await login("raced", member.authKey)).json).toEqual({ error: "locked-out" });
  });

  it("one address's failures do not lock out a counselor on a device they logged in from", async () => {
    const member = await addStaff(ctx.server.url, ctx.org, ctx.server.clock.t, { username: "known-device" });
    const device = member.device;
    expect(device).toMatch(/^sahara-device=/);
    // The attacker: guesses for this username and spread over many others, all from one address.
    await Promise.all(Array.from({ length: 10 }, () => login("known-device", wrongKey())));
    await Promise.all(Array.from({ length: 25 }, (_, i) => login(`nobody${i}`, wrongKey())));
    expect((await login("someone-else", wrongKey())).json).toEqual({ error: "locked-out" });
    expect((await login("known-device", member.authKey)).json).toEqual({ error: "locked-out" });
    // The counselor's browser still has its device cookie: the right password gets in at once.
    const again = await login("known-device", member.authKey, device);
    expect(again.status).toBe(200);
    expect(allCookies(again)).toContain("sahara-session=");
    // The admin's device cookie (from setup) works for the admin only, not for another username.
    expect((await login("known-device", member.authKey, ctx.org.admin.device)).json).toEqual({
      error: "locked-out",
    });
    expect((await login("admin", ctx.org.admin.authKey, ctx.org.admin.device)).status).toBe(200);
    // A forged device cookie is no device cookie.
    const forged = `sahara-device=${"A".repeat(43)}`;
    expect((await login("known-device", member.authKey, forged)).json).toEqual({ error: "locked-out" });
  });

  it("a device cookie that guesses is limited on its own, then treated as unknown", async () => {
    const member = await addStaff(ctx.server.url, ctx.org, ctx.server.clock.t, { username: "stolen-device" });
    const device = member.device;
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => login("stolen-device", wrongKey(), device)),
    );
    // Five against the device, then (device locked, so unknown) five against the username.
    expect(answers.filter((a) => a.json?.error === "invalid-credentials").length).toBeLessThanOrEqual(10);
    expect((await login("stolen-device", member.authKey, device)).json).toEqual({ error: "locked-out" });
  });
});

/**
 * The class behind the login race: every route that checks a secret counts the attempt before
 * checking it, not only the login. A stolen session cookie guessing the current password on the
 * password change, and an outsider guessing a pending member's invite code.
 */
describe("adversarial: other secret checks raced", () => {
  const ctx = serverWithOrg();

  it("60 simultaneous wrong current passwords on a stolen session: at most 5 are checked", async () => {
    const owner = await addStaff(ctx.server.url, ctx.org, ctx.server.clock.t, { username: "pw-raced" });
    const salt = await saltOf(ctx.server.url, "pw-raced");
    const change = (currentAuthKey: string) =>
      api(ctx.server.url, "POST", "/api/auth/password", {
        body: { currentAuthKey, salt, authKey: wrongKey(), wrappedIdentityKey: b64(randomBytes(104)) },
        cookie: owner.cookie,
        csrf: owner.csrf,
      });
    const answers = await Promise.all(Array.from({ length: 60 }, () => change(wrongKey())));
    const checked = answers.filter((a) => a.json?.error === "invalid-credentials").length;
    const refused = answers.filter((a) => a.json?.error === "locked-out").length;
    expect(checked + refused).toBe(60);
    expect(checked).toBeLessThanOrEqual(5);
    // The guesser cannot go on with the right password either while locked.
    expect((await change(owner.authKey)).json).toEqual({ error: "locked-out" });
  });

  it("60 simultaneous wrong invite codes for a pending member: at most 5 are checked", async () => {
    const invite = await api(ctx.server.url, "POST", "/api/admin/staff", {
      body: { username: "invitee", displayName: "Invitee", role: "counselor" },
      cookie: ctx.org.admin.cookie,
      csrf: ctx.org.admin.csrf,
    });
    expect(invite.status).toBe(201);
    const salt = await saltOf(ctx.server.url, "invitee");
    const enroll = (inviteCode: string) =>
      api(ctx.server.url, "POST", "/api/enroll", {
        body: {
          username: "invitee",
          inviteCode,
          salt,
          authKey: wrongKey(),
          identityPublicKey: b64(ed25519Keys().publicKey),
          wrappedIdentityKey: b64(randomBytes(104)),
        },
      });
    const answers = await Promise.all(Array.from({ length: 60 }, () => enroll(wrongKey())));
    const checked = answers.filter((a) => a.json?.error === "invalid-invite").length;
    const refused = answers.filter((a) => a.json?.error === "locked-out").length;
    expect(checked + refused).toBe(60);
    expect(checked).toBeLessThanOrEqual(5);
    // The guesses spent nothing: once the lockout is over, the real code still enrolls.
    ctx.server.clock.t += 16 * 60_000;
    expect((await enroll(invite.json.inviteCode as string)).status).toBe(200);
  });
});

describe("adversarial: salt look-ups", () => {
  it("are rate limited per client", async () => {
    const server = await startTestServer();
    try {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          api(server.url, "POST", "/api/auth/salt", { body: { username: `probe${i}` } }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(30);
      expect(answers.filter((a) => a.json?.error === "rate-limited")).toHaveLength(10);
      server.clock.t += 60_001;
      expect((await api(server.url, "POST", "/api/auth/salt", { body: { username: "probe" } })).status).toBe(
        200,
      );
    } finally {
      await server.close();
    }
  });
});
