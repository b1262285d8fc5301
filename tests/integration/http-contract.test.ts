import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuditListSchema,
  CannedListSchema,
  CannedSchema,
  DirectorySchema,
  EmbedInfoSchema,
  HoursSchema,
  InviteResponseSchema,
  PartnerListSchema,
  ReferralListSchema,
  ReferralSchema,
  RevocationsResponseSchema,
  SaltResponseSchema,
  SessionInfoSchema,
  SettingsSchema,
  SetupStatusSchema,
  StaffListSchema,
  StaffSummarySchema,
  StatsResponseSchema,
  WidgetConfigSchema,
} from "../../shared/protocol/http/index.ts";
import { api } from "../support/http-client.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, login, type Org, setupOrg } from "../support/http-staff.ts";

/**
 * The console and widget parse answers with the strict schemas in shared/protocol/http: any
 * extra, missing or mistyped field would break them, so every answer is checked here.
 */
describe("HTTP answers match the shared schemas", () => {
  let server: TestServer;
  let org: Org;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const check = async <S extends v.GenericSchema>(schema: S, method: string, path: string, options = {}) => {
    const res = await api(server.url, method, path, options);
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    const parsed = v.safeParse(schema, res.json);
    expect(
      parsed.issues?.map((i) => `${i.path?.map((p) => p.key).join(".")}: ${i.message}`) ?? [],
      `${method} ${path}`,
    ).toEqual([]);
    return res;
  };

  it("every read and write", async () => {
    await check(SetupStatusSchema, "GET", "/api/setup");
    org = await setupOrg(server, server.clock.t);
    const admin = { cookie: org.admin.cookie, csrf: org.admin.csrf };
    await check(SaltResponseSchema, "POST", "/api/auth/salt", { body: { username: "admin" } });
    await check(SessionInfoSchema, "GET", "/api/auth/me", admin);
    const counselor = await addStaff(server.url, org, server.clock.t, { username: "contract" });
    const session = await login(server.url, "contract", counselor.authKey);
    expect(v.safeParse(SessionInfoSchema, session.json).success).toBe(true);
    await check(InviteResponseSchema, "POST", "/api/admin/staff", {
      body: { username: "invitee", displayName: "Invitee", role: "supervisor" },
      ...admin,
    });
    await check(StaffListSchema, "GET", "/api/admin/staff", admin);
    await check(StaffSummarySchema, "PATCH", `/api/admin/staff/${counselor.id}`, {
      body: { chatLimit: 3 },
      ...admin,
    });
    await check(
      InviteResponseSchema,
      "POST",
      `/api/admin/staff/${(await api(server.url, "GET", "/api/admin/staff", admin)).json.staff.find((s: { username: string }) => s.username === "invitee").id}/invite`,
      admin,
    );
    await check(DirectorySchema, "GET", "/api/staff/directory", admin);
    await check(RevocationsResponseSchema, "GET", "/api/revocations");
    await check(PartnerListSchema, "GET", "/api/admin/partners", admin);
    await check(EmbedInfoSchema, "GET", "/api/admin/embed", admin);
    const hours = await check(HoursSchema, "GET", "/api/admin/hours", admin);
    await check(HoursSchema, "PUT", "/api/admin/hours", { body: hours.json, ...admin });
    await check(SettingsSchema, "GET", "/api/admin/settings", admin);
    await check(SettingsSchema, "PUT", "/api/admin/settings", { body: { chatLimit: 3 }, ...admin });
    const canned = await check(CannedSchema, "POST", "/api/admin/canned", {
      body: { language: "en", title: "Greeting", body: "Hello, you are safe to talk here.", tags: ["start"] },
      ...admin,
    });
    await check(CannedSchema, "PUT", `/api/admin/canned/${canned.json.id}`, {
      body: { language: "ur", title: "Greeting", body: "Hello", tags: [] },
      ...admin,
    });
    await check(CannedListSchema, "GET", "/api/canned", { cookie: counselor.cookie });
    await check(CannedListSchema, "GET", "/api/canned?language=ur", { cookie: counselor.cookie });
    const referral = await check(ReferralSchema, "POST", "/api/admin/referrals", {
      body: {
        language: "en",
        name: "Legal aid desk",
        category: "legal-aid",
        description: "Free advice",
        contact: "0300-0000000",
        howToPrepare: "Screenshots",
      },
      ...admin,
    });
    await check(ReferralListSchema, "GET", "/api/referrals", { cookie: counselor.cookie });
    expect((await api(server.url, "DELETE", `/api/admin/referrals/${referral.json.id}`, admin)).status).toBe(
      204,
    );
    await check(WidgetConfigSchema, "GET", "/api/widget/config?partner=demo");
    await check(WidgetConfigSchema, "GET", "/api/widget/config?partner=demo&language=ur");
    await check(StatsResponseSchema, "GET", "/api/admin/stats?from=2026-11-01&to=2026-11-30", admin);
    await check(AuditListSchema, "GET", "/api/admin/audit?limit=50", admin);
  });
});
