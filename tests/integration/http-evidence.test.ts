import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http-client.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, type LoggedIn, type Org, setupOrg } from "../support/http-staff.ts";

/**
 * `POST /api/evidence-saves` (PROTOCOL.md "Attachments"): a logged-in counselor's "Save as
 * evidence" leaves one audit line, with who and when and nothing that could name the chat.
 */
describe("HTTP: the audit record of a saved image", () => {
  let server: TestServer;
  let org: Org;
  let counselor: LoggedIn;
  const PATH = "/api/evidence-saves";

  beforeAll(async () => {
    server = await startTestServer();
    org = await setupOrg(server, server.clock.t);
    counselor = await addStaff(server.url, org, server.clock.t, { username: "saver" });
  });
  afterAll(async () => {
    await server?.close();
  });

  const saves = async () => {
    const audit = await api(server.url, "GET", "/api/admin/audit?limit=500", { cookie: org.admin.cookie });
    expect(audit.status).toBe(200);
    return audit.json.entries.filter((e: { action: string }) => e.action === "evidence-save");
  };

  it("needs a login and the CSRF token from the helpline's own origin", async () => {
    const { cookie, csrf } = counselor;
    const refused = [
      await api(server.url, "POST", PATH, { body: {} }),
      await api(server.url, "POST", PATH, { body: {}, cookie }),
      await api(server.url, "POST", PATH, { body: {}, cookie, csrf: "A".repeat(43) }),
      await api(server.url, "POST", PATH, { body: {}, cookie, csrf, origin: "https://evil.example" }),
    ];
    expect(refused.map((r) => [r.status, r.json.error])).toEqual([
      [401, "unauthenticated"],
      [403, "csrf"],
      [403, "csrf"],
      [403, "csrf"],
    ]);
    expect(await saves()).toEqual([]);
  });

  it("records who saved and when, and takes no chat id, image or digest", async () => {
    const { cookie, csrf } = counselor;
    const sessionId = "QQQQQQQQQQQQQQQQQQQQQQ";
    const carrying = [
      { sessionId },
      { chat: sessionId },
      { sha256: "ab".repeat(32) },
      { image: "/9j/4AAQSkZJRgABAQ" },
    ];
    for (const body of carrying) {
      const res = await api(server.url, "POST", PATH, { body, cookie, csrf });
      expect([400, 413]).toContain(res.status);
    }
    expect(await saves()).toEqual([]);

    server.clock.t += 60_000;
    const at = server.clock.t;
    const saved = await api(server.url, "POST", PATH, { body: {}, cookie, csrf });
    expect(saved.status).toBe(204);
    const entries = await saves();
    expect(entries).toEqual([{ at, actor: counselor.id, action: "evidence-save", target: null }]);
    // Nothing the refused requests carried reached the log or the database.
    const rows = await server.instance.db.db.selectFrom("audit_log").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(sessionId);
    expect(server.logs.join("\n")).not.toContain(sessionId);
  });
});
