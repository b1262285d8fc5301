import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http-client.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, login, type LoggedIn, type Org, setupOrg } from "../support/http-staff.ts";

/** Every API route (path parameters filled with plausible values). */
const ROUTES: readonly (readonly [string, string])[] = [
  ["GET", "/api/setup"],
  ["POST", "/api/setup"],
  ["POST", "/api/auth/salt"],
  ["POST", "/api/auth/login"],
  ["GET", "/api/auth/me"],
  ["POST", "/api/auth/password"],
  ["POST", "/api/enroll"],
  ["GET", "/api/staff/directory"],
  ["GET", "/api/canned"],
  ["GET", "/api/referrals"],
  ["POST", "/api/wrapups"],
  ["GET", "/api/revocations"],
  ["GET", "/api/widget/config"],
  ["GET", "/api/admin/staff"],
  ["POST", "/api/admin/staff"],
  ["PATCH", "/api/admin/staff/STAFFID"],
  ["POST", "/api/admin/staff/STAFFID/invite"],
  ["POST", "/api/admin/staff/STAFFID/certificate"],
  ["POST", "/api/admin/revocations"],
  ["GET", "/api/admin/partners"],
  ["POST", "/api/admin/partners"],
  ["PUT", "/api/admin/partners/demo"],
  ["GET", "/api/admin/embed"],
  ["GET", "/api/admin/hours"],
  ["PUT", "/api/admin/hours"],
  ["POST", "/api/admin/canned"],
  ["PUT", "/api/admin/canned/x1"],
  ["POST", "/api/admin/referrals"],
  ["PUT", "/api/admin/referrals/x1"],
  ["GET", "/api/admin/settings"],
  ["PUT", "/api/admin/settings"],
  ["GET", "/api/admin/stats"],
  ["GET", "/api/admin/stats.csv"],
  ["GET", "/api/admin/audit"],
];

const RAW_BODIES = [
  "",
  "{",
  "null",
  "[]",
  '"string"',
  "1e309",
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  `{"username":"${"a".repeat(70_000)}"}`,
  "\u0000\uffff",
  '{"username":{"$gt":""},"authKey":[1,2,3]}',
];

const QUERIES = [
  "",
  "?partner=demo&partner=x",
  "?from=2026-01-01&to=9999-99-99",
  "?limit=-1",
  "?language[]=en",
  "?%zz",
];

describe("HTTP: malformed input on every route", () => {
  let server: TestServer;
  let org: Org;
  let counselor: LoggedIn;

  beforeAll(async () => {
    server = await startTestServer();
    org = await setupOrg(server, server.clock.t);
    counselor = await addStaff(server.url, org, server.clock.t, { username: "fuzzed" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers every malformed request with a 4xx error code, then still works", async () => {
    const randomBodies = fc.sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 12, seed: 4242 });
    const sessions = [
      null,
      { cookie: counselor.cookie, csrf: counselor.csrf },
      { cookie: org.admin.cookie, csrf: org.admin.csrf },
    ];
    let requests = 0;
    for (const [method, template] of ROUTES) {
      const path = template.replace("STAFFID", counselor.id);
      for (const who of sessions) {
        const auth = who ? { cookie: who.cookie, csrf: who.csrf } : {};
        const attempts = [
          ...RAW_BODIES.map((raw) => ({ raw })),
          ...randomBodies.map((body) => ({ body })),
          { raw: "{}", contentType: "text/plain" },
        ];
        for (const attempt of method === "GET" ? QUERIES.map((q) => ({ q })) : attempts) {
          const url = "q" in attempt ? `${path}${attempt.q}` : path;
          const res = await api(server.url, method, url, { ...auth, ...("q" in attempt ? {} : attempt) });
          requests++;
          expect(res.status, `${method} ${url}`).toBeLessThan(500);
          if (res.status >= 400 && res.headers.get("content-type")?.includes("json")) {
            expect(typeof res.json.error, `${method} ${url}`).toBe("string");
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(500);
    // Nothing broke: setup still closed, a normal login and an admin call still work.
    expect((await api(server.url, "GET", "/api/setup")).json).toEqual({ needed: false });
    const again = await login(server.url, "fuzzed", counselor.authKey);
    expect(again.status).toBe(200);
    expect((await api(server.url, "GET", "/api/admin/staff", { cookie: org.admin.cookie })).status).toBe(200);
    expect(Object.prototype).not.toHaveProperty("admin");
    expect(Object.prototype).not.toHaveProperty("x");
  });

  it("checks origin, then session and role, then the body; caps body sizes", async () => {
    const junk = { raw: "{not json" };
    expect(
      (await api(server.url, "POST", "/api/admin/staff", { ...junk, origin: "https://evil.example" })).json,
    ).toEqual({
      error: "csrf",
    });
    expect((await api(server.url, "POST", "/api/admin/staff", junk)).json).toEqual({
      error: "unauthenticated",
    });
    const asCounselor = { cookie: counselor.cookie, csrf: counselor.csrf };
    expect((await api(server.url, "POST", "/api/admin/staff", { ...junk, ...asCounselor })).json).toEqual({
      error: "forbidden",
    });
    const asAdmin = { cookie: org.admin.cookie, csrf: org.admin.csrf };
    expect((await api(server.url, "POST", "/api/admin/staff", { body: {}, ...asAdmin })).json).toEqual({
      error: "bad-request",
    });
    const big = { body: { list: "A".repeat(100_000) }, ...asAdmin };
    const tooBig = await api(server.url, "POST", "/api/admin/staff", big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json).toEqual({ error: "payload-too-large" });
    // Only the revocation list may be that large (and this one is not a valid list).
    expect((await api(server.url, "POST", "/api/admin/revocations", big)).json).toEqual({
      error: "bad-revocation-list",
    });
  });

  it("never logs an address, a cookie, a token, a key or a full id", async () => {
    const text = server.logs.join("");
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain("127.0.0.1");
    for (const secret of [
      counselor.cookie.split("=")[1]!,
      counselor.csrf,
      counselor.authKey,
      org.admin.authKey,
      org.admin.csrf,
      counselor.id,
      org.admin.id,
      "fuzzed",
    ]) {
      expect(text).not.toContain(secret);
    }
    for (const line of server.logs) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(entry).sort()).not.toContain("ip");
      expect(Object.keys(entry)).not.toContain("headers");
      expect(Object.keys(entry)).not.toContain("url");
    }
  });
});
