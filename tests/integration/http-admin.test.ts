import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endedChatToken } from "../support/http-chat.ts";
import { api } from "../support/http-client.ts";
import {
  CLOSED_TIME,
  OPEN_TIME,
  PARTNER_ORIGIN,
  startTestServer,
  type TestServer,
} from "../support/http-server.ts";
import {
  addStaff,
  b64,
  ed25519Keys,
  login,
  makeCertificate,
  makeRevocationList,
  type Org,
  saltOf,
  setupOrg,
} from "../support/http-staff.ts";

describe("HTTP: staff administration, partners, hours, statistics", () => {
  let server: TestServer;
  let org: Org;
  const as = () => ({ cookie: org.admin.cookie, csrf: org.admin.csrf });

  beforeAll(async () => {
    server = await startTestServer({ overrides: { relayOptions: { powDifficulty: 4 } } });
    org = await setupOrg(server, server.clock.t);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("enrolls with a one-time invite code only", async () => {
    const invite = await api(server.url, "POST", "/api/admin/staff", {
      body: { username: "nadia", displayName: "Nadia", role: "counselor" },
      ...as(),
    });
    expect(invite.status).toBe(201);
    const salt = await saltOf(server.url, "nadia");
    const enrollBody = (code: string, username = "nadia") => ({
      username,
      inviteCode: code,
      salt,
      authKey: b64(randomBytes(32)),
      identityPublicKey: b64(ed25519Keys().publicKey),
      wrappedIdentityKey: b64(randomBytes(104)),
    });
    expect(
      (await api(server.url, "POST", "/api/enroll", { body: enrollBody(b64(randomBytes(24))) })).json,
    ).toEqual({
      error: "invalid-invite",
    });
    expect(
      (await api(server.url, "POST", "/api/enroll", { body: enrollBody(invite.json.inviteCode, "someone") }))
        .status,
    ).toBe(400);
    const ok = await api(server.url, "POST", "/api/enroll", { body: enrollBody(invite.json.inviteCode) });
    expect(ok.status).toBe(200);
    expect(ok.json.staffId).toBe(invite.json.staffId);
    const reuse = await api(server.url, "POST", "/api/enroll", { body: enrollBody(invite.json.inviteCode) });
    expect(reuse.json).toEqual({ error: "invalid-invite" });
    const list = await api(server.url, "GET", "/api/admin/staff", { cookie: org.admin.cookie });
    const nadia = list.json.staff.find((s: { username: string }) => s.username === "nadia");
    expect(nadia.state).toBe("enrolled");
    expect(JSON.stringify(list.json)).not.toMatch(/authHash|salt|wrapped/);
  });

  it("stores a certificate only if the org key signed it for exactly this account", async () => {
    const member = await addStaff(server.url, org, server.clock.t, { username: "farah", certify: false });
    const subject = {
      id: member.id,
      role: "counselor" as const,
      displayName: member.displayName,
      publicKey: member.identity.publicKey,
    };
    const now = server.clock.t;
    const post = (certificate: string) =>
      api(server.url, "POST", `/api/admin/staff/${member.id}/certificate`, {
        body: { certificate },
        ...as(),
      });

    const otherOrg = ed25519Keys();
    const badSignature = Buffer.from(makeCertificate(org.keys, subject, now), "base64url");
    badSignature[badSignature.length - 1]! ^= 1;
    const cases = {
      "bad signature": b64(badSignature),
      "another org": makeCertificate(otherOrg, subject, now),
      "names this org, signed by another key": makeCertificate(org.keys, subject, now, otherOrg),
      "wrong subject key": makeCertificate(org.keys, { ...subject, publicKey: ed25519Keys().publicKey }, now),
      "wrong role": makeCertificate(org.keys, { ...subject, role: "admin" }, now),
      "wrong name": makeCertificate(org.keys, { ...subject, displayName: "Someone" }, now),
      "not yet valid": makeCertificate(org.keys, subject, now + 30 * 86_400_000),
      garbage: b64(randomBytes(200)),
    };
    for (const [name, certificate] of Object.entries(cases)) {
      const res = await post(certificate);
      expect(res.status, name).toBe(400);
      expect(res.json, name).toEqual({ error: "bad-certificate" });
    }
    expect((await login(server.url, "farah", member.authKey)).json.staff.certified).toBe(false);
    const good = await post(makeCertificate(org.keys, subject, now));
    expect(good.status).toBe(200);
    expect(good.json.state).toBe("certified");
    expect((await login(server.url, "farah", member.authKey)).json.staff.certified).toBe(true);
  });

  it("revokes with a signed list only, cutting the member's sessions off", async () => {
    const member = await addStaff(server.url, org, server.clock.t, { username: "revokee" });
    const forged = makeRevocationList(ed25519Keys(), [member.identity.publicKey], server.clock.t);
    expect(
      (await api(server.url, "POST", "/api/admin/revocations", { body: { list: forged }, ...as() })).json,
    ).toEqual({
      error: "bad-revocation-list",
    });
    expect((await api(server.url, "GET", "/api/auth/me", { cookie: member.cookie })).status).toBe(200);
    const list = makeRevocationList(org.keys, [member.identity.publicKey], server.clock.t);
    expect(
      (await api(server.url, "POST", "/api/admin/revocations", { body: { list }, ...as() })).status,
    ).toBe(204);
    expect((await api(server.url, "GET", "/api/auth/me", { cookie: member.cookie })).status).toBe(401);
    expect((await api(server.url, "GET", "/api/revocations")).json).toEqual({ list });
    const staff = await api(server.url, "GET", "/api/admin/staff", { cookie: org.admin.cookie });
    expect(staff.json.staff.find((s: { id: string }) => s.id === member.id).state).toBe("revoked");
    const directory = await api(server.url, "GET", "/api/staff/directory", { cookie: org.admin.cookie });
    expect(directory.json.staff.map((s: { id: string }) => s.id)).not.toContain(member.id);
  });

  it("disables an account at once and voids a certificate when the role changes", async () => {
    const member = await addStaff(server.url, org, server.clock.t, { username: "temp" });
    const patch = (body: unknown) =>
      api(server.url, "PATCH", `/api/admin/staff/${member.id}`, { body, ...as() });
    const promoted = await patch({ role: "supervisor" });
    expect(promoted.json).toMatchObject({ role: "supervisor", state: "enrolled", certificate: null });
    expect((await patch({ disabled: true })).json.disabled).toBe(true);
    expect((await api(server.url, "GET", "/api/auth/me", { cookie: member.cookie })).status).toBe(401);
    expect((await login(server.url, "temp", member.authKey)).status).toBe(401);
    expect((await patch({ disabled: false })).json.disabled).toBe(false);
    expect((await login(server.url, "temp", member.authKey)).status).toBe(200);
    // The last admin cannot demote or disable itself.
    const self = await api(server.url, "PATCH", `/api/admin/staff/${org.admin.id}`, {
      body: { disabled: true },
      ...as(),
    });
    expect(self.json).toEqual({ error: "last-admin" });
  });

  it("sets the languages a member counsels in (null: every language), never none, and audits it", async () => {
    const member = await addStaff(server.url, org, server.clock.t, { username: "polyglot" });
    const patch = (body: unknown) =>
      api(server.url, "PATCH", `/api/admin/staff/${member.id}`, { body, ...as() });
    const listed = async () =>
      (await api(server.url, "GET", "/api/admin/staff", { cookie: org.admin.cookie })).json.staff.find(
        (s: { id: string }) => s.id === member.id,
      ).languages;
    expect(await listed()).toBeNull();
    expect((await patch({ languages: ["ur"] })).json.languages).toEqual(["ur"]);
    expect(await listed()).toEqual(["ur"]);
    expect((await patch({ languages: [] })).status).toBe(400);
    expect((await patch({ languages: ["ur", "ur"] })).status).toBe(400);
    expect((await patch({ languages: ["fr"] })).status).toBe(400);
    expect(await listed()).toEqual(["ur"]);
    expect((await patch({ languages: null })).json.languages).toBeNull();
    const audit = await api(server.url, "GET", "/api/admin/audit", { cookie: org.admin.cookie });
    const entries = audit.json.entries.filter(
      (e: { action: string; target: string }) => e.action === "staff-languages" && e.target === member.id,
    );
    expect(entries).toHaveLength(2);
  });

  it("manages partners, and frame-ancestors follows the enabled partners", async () => {
    const partner = {
      id: "ngo-site",
      name: "NGO site",
      allowedOrigins: [PARTNER_ORIGIN],
      exitUrl: "https://weather.example/",
      defaultLanguage: "ur",
      enabled: true,
    };
    expect((await api(server.url, "POST", "/api/admin/partners", { body: partner, ...as() })).status).toBe(
      201,
    );
    expect((await api(server.url, "POST", "/api/admin/partners", { body: partner, ...as() })).json).toEqual({
      error: "partner-exists",
    });
    const badOrigin = { ...partner, id: "bad", allowedOrigins: ["https://x.example; script-src *"] };
    expect((await api(server.url, "POST", "/api/admin/partners", { body: badOrigin, ...as() })).status).toBe(
      400,
    );
    let frame = await fetch(`${server.url}/frame/?partner=ngo-site`);
    expect(frame.headers.get("content-security-policy")).toMatch(
      /frame-ancestors [^;]*https:\/\/partner\.example/,
    );
    const { id: _id, ...rest } = partner;
    const disabled = await api(server.url, "PUT", "/api/admin/partners/ngo-site", {
      body: { ...rest, enabled: false },
      ...as(),
    });
    expect(disabled.json.enabled).toBe(false);
    frame = await fetch(`${server.url}/frame/?partner=ngo-site`);
    expect(frame.headers.get("content-security-policy")).not.toContain(PARTNER_ORIGIN);
    expect((await api(server.url, "GET", "/api/widget/config?partner=ngo-site")).status).toBe(404);
    expect((await api(server.url, "DELETE", "/api/admin/partners/ngo-site", as())).status).toBe(204);
    const embed = await api(server.url, "GET", "/api/admin/embed", { cookie: org.admin.cookie });
    expect(embed.json).toEqual({
      loaderUrl: "http://helpline.test/embed/v1/sahara.js",
      integrity: "sha384-testintegrity",
    });
  });

  it("serves widget configuration open and closed from the hours, with CORS and no-store", async () => {
    server.clock.t = OPEN_TIME;
    const open = await api(server.url, "GET", "/api/widget/config?partner=demo");
    expect(open.status).toBe(200);
    expect(open.json).toMatchObject({
      open: true,
      nextOpening: null,
      defaultLanguage: "en",
      timeZone: "Asia/Karachi",
    });
    expect(open.headers.get("access-control-allow-origin")).toBe("*");
    expect(open.headers.get("access-control-allow-credentials")).toBeNull();
    expect(open.headers.get("cache-control")).toBe("no-store");
    server.clock.t = CLOSED_TIME;
    const closed = await api(server.url, "GET", "/api/widget/config?partner=demo");
    expect(closed.json.open).toBe(false);
    // Next day 09:00 Karachi = 04:00 UTC.
    expect(closed.json.nextOpening).toBe(Date.UTC(2026, 11, 1, 4, 0));
    // Back to the admin's session time (a 12-hour jump would have expired it).
    server.clock.t = OPEN_TIME;
    const hours = await api(server.url, "GET", "/api/admin/hours", { cookie: org.admin.cookie });
    const allDay = Array.from({ length: 7 }, () => [{ open: "00:00", close: "24:00" }]);
    const put = await api(server.url, "PUT", "/api/admin/hours", {
      body: { ...hours.json, schedule: allDay, holidays: [{ date: "2026-12-25", label: "Holiday" }] },
      ...as(),
    });
    expect(put.status).toBe(200);
    server.clock.t = CLOSED_TIME;
    expect((await api(server.url, "GET", "/api/widget/config?partner=demo")).json.open).toBe(true);
    server.clock.t = OPEN_TIME;
    const badZone = await api(server.url, "PUT", "/api/admin/hours", {
      body: { ...put.json, timeZone: "Mars/Base" },
      ...as(),
    });
    expect(badZone.status).toBe(400);
    expect((await api(server.url, "GET", "/api/widget/config?partner=nope")).json).toEqual({
      error: "unknown-partner",
    });
    expect((await api(server.url, "GET", "/api/widget/config")).json).toEqual({ error: "bad-request" });
    server.clock.t = OPEN_TIME;
  });

  it("shows survivors only the referral entries an admin has verified", async () => {
    server.clock.t = OPEN_TIME;
    const resources = async () =>
      (await api(server.url, "GET", "/api/widget/config?partner=demo")).json.resources as {
        name: string;
        contact: string;
        language: string;
      }[];
    const seeded = (await api(server.url, "GET", "/api/referrals", { cookie: org.admin.cookie })).json
      .referrals as ({ id: string; needsVerification: boolean } & Record<string, unknown>)[];
    const unchecked = seeded.filter((r) => r.needsVerification);
    expect(unchecked.length).toBeGreaterThan(0);
    const placeholder = "Add the local legal aid contact";
    expect(seeded.some((r) => r.contact === placeholder)).toBe(true);
    // A fresh install's entries all wait for checking: none reaches a survivor, in any language.
    const before = await resources();
    expect(before.some((r) => r.contact === placeholder)).toBe(false);
    for (const r of unchecked) expect(before.map((x) => x.name)).not.toContain(r.name);

    // The admin checks one entry (saving it clears the flag): from then on survivors see it.
    const [first] = unchecked;
    if (!first) throw new Error("no seeded referral");
    const { id, needsVerification: _flag, ...input } = first;
    const put = await api(server.url, "PUT", `/api/admin/referrals/${id}`, { body: input, ...as() });
    expect(put.status).toBe(200);
    const after = await resources();
    expect(after).toContainEqual({ name: input.name, contact: input.contact, language: input.language });
    expect(after.some((r) => r.contact === placeholder)).toBe(false);
  });

  it("takes anonymous wrap-ups and exports CSV with counts under 5 suppressed", async () => {
    const counselor = await addStaff(server.url, org, server.clock.t, { username: "wrapper" });
    server.clock.t = OPEN_TIME;
    // Each wrap-up needs a chat that really ended (its one-time token).
    const tokens: string[] = [];
    for (let i = 0; i < 9; i++) tokens.push(await endedChatToken(server.url, counselor.cookie));
    const wrapup = (harassmentType: string) => ({
      token: tokens.pop(),
      partner: "demo",
      language: "en",
      platform: "whatsapp",
      harassmentTypes: [harassmentType],
      outcomes: ["advice"],
      followUp: false,
      callerType: "self",
      region: null,
      gender: null,
      referrals: ["legal-aid"],
      difficult: false,
      duration: "10-30m",
    });
    for (let i = 0; i < 6; i++) {
      const res = await api(server.url, "POST", "/api/wrapups", {
        body: wrapup("blackmail"),
        cookie: counselor.cookie,
        csrf: counselor.csrf,
      });
      expect(res.status).toBe(204);
    }
    for (let i = 0; i < 2; i++) {
      await api(server.url, "POST", "/api/wrapups", {
        body: wrapup("impersonation"),
        cookie: counselor.cookie,
        csrf: counselor.csrf,
      });
    }
    const withSessionId = { ...wrapup("blackmail"), sessionId: "A".repeat(22) };
    expect(
      (
        await api(server.url, "POST", "/api/wrapups", {
          body: withSessionId,
          cookie: counselor.cookie,
          csrf: counselor.csrf,
        })
      ).status,
    ).toBe(400);
    const stats = await api(server.url, "GET", "/api/admin/stats?from=2026-11-01&to=2026-12-31", {
      cookie: org.admin.cookie,
    });
    expect(stats.json.total).toBe(8);
    expect(stats.json.byHarassmentType).toEqual(
      expect.arrayContaining([
        { key: "blackmail", count: 6 },
        { key: "impersonation", count: 2 },
      ]),
    );
    const csv = await api(server.url, "GET", "/api/admin/stats.csv?from=2026-11-01&to=2026-12-31", {
      cookie: org.admin.cookie,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment/);
    const rows = csv.text
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(",").map((field) => field.replace(/^"|"$/g, "")));
    expect(rows.find((r) => r[1] === "contacts")?.[3]).toBe("8");
    const harassment = rows.filter((r) => r[1] === "harassment_type");
    expect(harassment.length).toBeGreaterThan(0);
    // Types are a fixed list (every type listed) and several may be named per contact, so they
    // do not partition the total: the two "impersonation" contacts show as "<5" only.
    expect(harassment.find((r) => r[2] === "impersonation")?.[3]).toBe("<5");
    expect(harassment.find((r) => r[2] === "blackmail")?.[3]).toBe("6");
    expect(rows.find((r) => r[1] === "outcome" && r[2] === "advice")?.[3]).toBe("8");
    for (const r of rows) {
      const count = r[3] ?? "";
      expect(
        count === "<5" || count === "suppressed" || Number(count) >= 5 || count === "0",
        r.join(","),
      ).toBe(true);
    }
    expect(
      (
        await api(server.url, "GET", "/api/admin/stats?from=2026-12-31&to=2026-11-01", {
          cookie: org.admin.cookie,
        })
      ).status,
    ).toBe(400);
  });
});
