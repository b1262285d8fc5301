import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StaffId } from "../../shared/protocol/index.ts";
import { createRelayDeps } from "../../server/auth/relay-deps.ts";
import type { HttpContext } from "../../server/http/context.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, setupOrg } from "../support/http-staff.ts";
import { api } from "../support/http-client.ts";

const DAY = 86_400_000;

/**
 * The relay re-asks the accounts layer before every assignment. This runs that question against
 * real storage: a disabled account and a revoked key are `revoked`, a certificate that has
 * expired since the counselor connected is `not-certified`.
 */
describe("staffRefusal (relay deps on real storage)", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const refusal = (id: string) =>
    createRelayDeps({
      repos: server.instance.repos,
      now: () => server.clock.t,
      logger: server.instance.logger,
      config: { trustProxy: false },
    } as unknown as HttpContext).staffRefusal(id as StaffId);

  it("answers null for a certified, enabled account; not-certified once its certificate expired", async () => {
    const org = await setupOrg(server, server.clock.t);
    // Certified "89 days ago" by the test kit's 90-day certificate: one day left.
    const member = await addStaff(server.url, org, server.clock.t - 89 * DAY, { username: "sana" });
    expect(await refusal(member.id)).toBeNull();
    server.clock.t += 2 * DAY;
    expect(await refusal(member.id)).toBe("not-certified");
  });

  it("answers revoked for a disabled account", async () => {
    const org = await setupOrg(server, server.clock.t);
    const member = await addStaff(server.url, org, server.clock.t, { username: "bilal" });
    expect(await refusal(member.id)).toBeNull();
    const disabled = await api(server.url, "PATCH", `/api/admin/staff/${member.id}`, {
      body: { disabled: true },
      cookie: org.admin.cookie,
      csrf: org.admin.csrf,
    });
    expect(disabled.status).toBe(200);
    expect(await refusal(member.id)).toBe("revoked");
  });
});
