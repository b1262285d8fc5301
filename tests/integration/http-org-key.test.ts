import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http-client.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, b64, type LoggedIn, login, type Org, setupOrg } from "../support/http-staff.ts";

/** The server never opens the sealed blob, so opaque bytes of a plausible size stand in for it. */
const sealedBlob = () => b64(randomBytes(48 + 2 + 180 + 128));

describe("HTTP: handing the org key to another admin", () => {
  let server: TestServer;
  let org: Org;
  const as = (who: LoggedIn) => ({ cookie: who.cookie, csrf: who.csrf });
  const share = (from: LoggedIn, to: string, sealed = sealedBlob()) =>
    api(server.url, "POST", `/api/admin/staff/${to}/org-key`, { body: { sealed }, ...as(from) });
  const keysOf = async (who: LoggedIn) => (await login(server.url, who.username, who.authKey)).json.keys;

  beforeAll(async () => {
    server = await startTestServer();
    org = await setupOrg(server, server.clock.t);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("delivers a sealed copy at login, then swaps it for the admin's own wrapped copy", async () => {
    const bilal = await addStaff(server.url, org, server.clock.t, { username: "bilal", role: "admin" });
    expect((await keysOf(bilal)).wrappedOrgKey).toBeNull();
    const admins = (await api(server.url, "GET", "/api/admin/staff", { cookie: org.admin.cookie })).json
      .staff;
    expect(admins.find((s: { id: string }) => s.id === org.admin.id).orgKey).toBe("held");
    expect(admins.find((s: { id: string }) => s.id === bilal.id).orgKey).toBeUndefined();
    const sealed = sealedBlob();
    expect((await share(org.admin, bilal.id, sealed)).status).toBe(204);
    const listed = async () =>
      (await api(server.url, "GET", "/api/admin/staff", { cookie: org.admin.cookie })).json.staff.find(
        (s: { id: string }) => s.id === bilal.id,
      ).orgKey;
    expect(await listed()).toBe("pending");
    const pending = await keysOf(bilal);
    expect(pending.pendingOrgKey).toBe(sealed);
    expect(pending.wrappedOrgKey).toBeNull();

    // The recipient replaces the sealed copy with one wrapped under its own wrapping key.
    const wrapped = b64(randomBytes(105));
    const put = await api(server.url, "PUT", "/api/auth/org-key", {
      body: { wrappedOrgKey: wrapped },
      ...as(bilal),
    });
    expect(put.status).toBe(200);
    expect(put.json.keys.wrappedOrgKey).toBe(wrapped);
    expect(put.json.keys.pendingOrgKey).toBeUndefined();
    const after = await keysOf(bilal);
    expect(after.wrappedOrgKey).toBe(wrapped);
    expect(after.pendingOrgKey).toBeUndefined();
    expect(await listed()).toBe("held");

    // Once wrapped: no second PUT, and no share over it.
    const again = await api(server.url, "PUT", "/api/auth/org-key", {
      body: { wrappedOrgKey: b64(randomBytes(105)) },
      ...as(bilal),
    });
    expect(again.json).toEqual({ error: "bad-request" });
    expect((await share(org.admin, bilal.id)).json).toEqual({ error: "bad-request" });
    expect((await keysOf(bilal)).wrappedOrgKey).toBe(wrapped);

    const audit = await api(server.url, "GET", "/api/admin/audit", { cookie: org.admin.cookie });
    const copies = audit.json.entries.filter((e: { action: string }) => e.action === "org-key-copy");
    expect(copies.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit.json)).not.toContain(sealed);
  });

  it("refuses counselors, uncertified and disabled admins, and sharers without the key", async () => {
    const nadia = await addStaff(server.url, org, server.clock.t, { username: "nadia" });
    expect((await share(org.admin, nadia.id)).json).toEqual({ error: "bad-request" });
    const farah = await addStaff(server.url, org, server.clock.t, {
      username: "farah",
      role: "admin",
      certify: false,
    });
    expect((await share(org.admin, farah.id)).json).toEqual({ error: "bad-request" });
    expect((await share(org.admin, org.admin.id)).json).toEqual({ error: "bad-request" });
    expect((await share(org.admin, "no-such-staff-id")).status).toBe(404);
    // An admin without a wrapped copy has nothing to hand on.
    const zara = await addStaff(server.url, org, server.clock.t, { username: "zara", role: "admin" });
    const omar = await addStaff(server.url, org, server.clock.t, { username: "omar", role: "admin" });
    expect((await share(zara, omar.id)).json).toEqual({ error: "forbidden" });
    // Counselors cannot call either route.
    expect((await share(nadia, omar.id)).json).toEqual({ error: "forbidden" });
    const put = await api(server.url, "PUT", "/api/auth/org-key", {
      body: { wrappedOrgKey: b64(randomBytes(105)) },
      ...as(nadia),
    });
    expect(put.json).toEqual({ error: "forbidden" });
    // Without a pending copy there is nothing to replace.
    const early = await api(server.url, "PUT", "/api/auth/org-key", {
      body: { wrappedOrgKey: b64(randomBytes(105)) },
      ...as(omar),
    });
    expect(early.json).toEqual({ error: "bad-request" });
    // Malformed sealed blob.
    expect((await share(org.admin, omar.id, "not base64url!")).json).toEqual({ error: "bad-request" });
  });

  it("drops the copy of a demoted or disabled admin", async () => {
    const sana = await addStaff(server.url, org, server.clock.t, { username: "sana", role: "admin" });
    const ali = await addStaff(server.url, org, server.clock.t, { username: "ali", role: "admin" });
    expect((await share(org.admin, sana.id)).status).toBe(204);
    expect((await share(org.admin, ali.id)).status).toBe(204);
    const patch = (id: string, body: object) =>
      api(server.url, "PATCH", `/api/admin/staff/${id}`, { body, ...as(org.admin) });
    expect((await patch(sana.id, { role: "counselor" })).status).toBe(200);
    expect((await patch(sana.id, { role: "admin" })).status).toBe(200);
    expect((await keysOf(sana)).pendingOrgKey).toBeUndefined();
    expect((await patch(ali.id, { disabled: true })).status).toBe(200);
    expect((await patch(ali.id, { disabled: false })).status).toBe(200);
    const aliKeys = await keysOf(ali);
    expect(aliKeys.pendingOrgKey).toBeUndefined();
    expect(aliKeys.wrappedOrgKey).toBeNull();
  });
});
