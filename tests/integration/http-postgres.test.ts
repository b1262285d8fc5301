import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endedChatToken } from "../support/http-chat.ts";
import { api } from "../support/http-client.ts";
import { postgresSchema, startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, login, type Org, setupOrg } from "../support/http-staff.ts";
import { needService } from "../support/services.ts";

const run = await needService("postgres");

/** The main HTTP flow once on PostgreSQL (the rest of the HTTP tests run on SQLite). */
describe.runIf(run)("HTTP on PostgreSQL: setup, enroll, certify, login, partners, wrap-up, CSV", () => {
  let server: TestServer;
  let schema: Awaited<ReturnType<typeof postgresSchema>>;
  let org: Org;

  beforeAll(async () => {
    schema = await postgresSchema();
    server = await startTestServer({
      databaseUrl: schema.url,
      overrides: { relayOptions: { powDifficulty: 4 } },
    });
  });
  afterAll(async () => {
    await server?.close();
    await schema?.drop();
  });

  it("runs the main flow", async () => {
    expect((await api(server.url, "GET", "/api/setup")).json).toEqual({ needed: true });
    org = await setupOrg(server, server.clock.t);
    const counselor = await addStaff(server.url, org, server.clock.t, { username: "pg-counselor" });
    const me = await api(server.url, "GET", "/api/auth/me", { cookie: counselor.cookie });
    expect(me.json.staff).toMatchObject({ username: "pg-counselor", certified: true, chatLimit: 2 });
    expect((await login(server.url, "pg-counselor", "A".repeat(43))).status).toBe(401);
    const wrapup = await api(server.url, "POST", "/api/wrapups", {
      body: {
        token: await endedChatToken(server.url, counselor.cookie),
        partner: "demo",
        language: "ur",
        platform: "facebook",
        harassmentTypes: ["blackmail"],
        outcomes: [],
        followUp: false,
        callerType: "family",
        region: "sindh",
        gender: "man",
        referrals: ["law-enforcement"],
        difficult: true,
        duration: ">60m",
      },
      cookie: counselor.cookie,
      csrf: counselor.csrf,
    });
    expect(wrapup.status).toBe(204);
    const stats = await api(server.url, "GET", "/api/admin/stats?from=2026-11-01&to=2026-12-31", {
      cookie: org.admin.cookie,
    });
    expect(stats.json).toMatchObject({ total: 1, difficult: 1 });
    const csv = await api(server.url, "GET", "/api/admin/stats.csv?from=2026-11-01&to=2026-12-31", {
      cookie: org.admin.cookie,
    });
    expect(csv.text).toContain('"harassment_type","blackmail","<5"');
    expect(csv.text).toContain("<5");
    const readyz = await fetch(`${server.url}/readyz`);
    expect(readyz.status).toBe(200);
  });
});
