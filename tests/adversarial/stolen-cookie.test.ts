import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../../shared/protocol/index.ts";
import { stolenCookieSocket } from "../support/adversary.ts";
import { api } from "../support/http-client.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";
import {
  addStaff,
  b64,
  login,
  makeRevocationList,
  type Org,
  saltOf,
  setupOrg,
} from "../support/http-staff.ts";
import { connected, next, request } from "../support/relay-clients.ts";

/**
 * An attacker who stole a counselor's login cookie opens a /staff socket with it. Whatever ends
 * that login (the owner logs out, changes the password, is disabled, demoted or revoked) must
 * close the attacker's socket at once, and the cookie must not open another. (A login that
 * expires closes its sockets within a minute, at the next login sweep: not tested here.)
 */
describe("adversarial: a socket opened with a stolen cookie", () => {
  let server: TestServer;
  let org: Org;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ overrides: { relayOptions: { powDifficulty: 4 } } });
    org = await setupOrg(server, server.clock.t);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
  });

  const attackerSocket = async (cookie: string) => {
    const socket = stolenCookieSocket(server.url, cookie);
    sockets.push(socket);
    await connected(socket);
    expect(await request<Reply>(socket, "status", { status: "available" })).toEqual({ ok: true });
    return socket;
  };

  const cannotReturn = async (cookie: string) => {
    const again = stolenCookieSocket(server.url, cookie);
    sockets.push(again);
    expect((await next<Error>(again, "connect_error")).message).toBe("unauthenticated");
  };

  it("a password change closes it at once, though the owner changed it from another session", async () => {
    const owner = await addStaff(server.url, org, server.clock.t, { username: "victim-pw" });
    const stolen = owner.cookie;
    const socket = await attackerSocket(stolen);
    const gone = next(socket, "disconnect", 2000);
    // The owner, logged in elsewhere, changes the password.
    const elsewhere = await login(server.url, "victim-pw", owner.authKey);
    const changed = await api(server.url, "POST", "/api/auth/password", {
      body: {
        currentAuthKey: owner.authKey,
        salt: await saltOf(server.url, "victim-pw"),
        authKey: b64(randomBytes(32)),
        wrappedIdentityKey: b64(randomBytes(104)),
      },
      cookie: elsewhere.cookie,
      csrf: elsewhere.json.csrfToken,
    });
    expect(changed.status).toBe(200);
    expect(await gone).toBe("io server disconnect");
    await cannotReturn(stolen);
    // The owner's renewed session still opens a socket.
    const renewed = stolenCookieSocket(server.url, changed.cookie ?? "");
    sockets.push(renewed);
    await connected(renewed);
  });

  it("logging out closes the sockets of that login, even while another login of the member stays", async () => {
    const owner = await addStaff(server.url, org, server.clock.t, { username: "victim-logout" });
    const otherDevice = await login(server.url, "victim-logout", owner.authKey);
    const socket = await attackerSocket(owner.cookie);
    const kept = await attackerSocket(otherDevice.cookie ?? "");
    const gone = next(socket, "disconnect", 2000);
    const out = await api(server.url, "POST", "/api/auth/logout", { cookie: owner.cookie, csrf: owner.csrf });
    expect(out.status).toBe(204);
    expect(await gone).toBe("io server disconnect");
    await cannotReturn(owner.cookie);
    expect(kept.connected).toBe(true);
  });

  it("disabling, and changing the role, close it too", async () => {
    const disabled = await addStaff(server.url, org, server.clock.t, { username: "victim-disabled" });
    const demoted = await addStaff(server.url, org, server.clock.t, {
      username: "victim-role",
      role: "supervisor",
    });
    const a = await attackerSocket(disabled.cookie);
    const b = await attackerSocket(demoted.cookie);
    const aGone = next(a, "disconnect", 2000);
    const bGone = next(b, "disconnect", 2000);
    const admin = { cookie: org.admin.cookie, csrf: org.admin.csrf };
    expect(
      (
        await api(server.url, "PATCH", `/api/admin/staff/${disabled.id}`, {
          body: { disabled: true },
          ...admin,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api(server.url, "PATCH", `/api/admin/staff/${demoted.id}`, {
          body: { role: "counselor" },
          ...admin,
        })
      ).status,
    ).toBe(200);
    expect(await aGone).toBe("io server disconnect");
    expect(await bGone).toBe("io server disconnect");
    await cannotReturn(disabled.cookie);
  });

  it("revoking the member's key closes it too", async () => {
    const revoked = await addStaff(server.url, org, server.clock.t, { username: "victim-revoked" });
    const socket = await attackerSocket(revoked.cookie);
    const gone = next(socket, "disconnect", 2000);
    const list = makeRevocationList(org.keys, [revoked.identity.publicKey], server.clock.t);
    const posted = await api(server.url, "POST", "/api/admin/revocations", {
      body: { list },
      cookie: org.admin.cookie,
      csrf: org.admin.csrf,
    });
    expect(posted.status).toBe(204);
    expect(await gone).toBe("io server disconnect");
    await cannotReturn(revoked.cookie);
  });
});
