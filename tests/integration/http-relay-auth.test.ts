import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Assigned, Reply } from "../../shared/protocol/index.ts";
import { api } from "../support/http-client.ts";
import { CLOSED_TIME, OPEN_TIME, startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, makeRevocationList, type Org, setupOrg } from "../support/http-staff.ts";
import {
  connected,
  joinAsSurvivor,
  next,
  request,
  type StaffClient,
  survivorClient,
} from "../support/relay-clients.ts";
import { endedChatToken, consoleSocket as staffClient } from "../support/http-chat.ts";

async function connectStaff(url: string, cookie: string): Promise<StaffClient> {
  const socket = staffClient(url, cookie);
  await connected(socket as Socket);
  const reply = await request<Reply>(socket as Socket, "status", { status: "available" });
  if (!reply.ok) throw new Error(`status refused: ${reply.error}`);
  return socket;
}

/** The relay's staff side authenticated through the HTTP login session (RelayDeps). */
describe("HTTP + relay: staff sockets use the login session", () => {
  let server: TestServer;
  let org: Org;
  const sockets: { close: () => unknown }[] = [];
  const track = <T extends { close: () => unknown }>(s: T) => {
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startTestServer({ overrides: { relayOptions: { powDifficulty: 4 } } });
    org = await setupOrg(server, server.clock.t);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
  });

  it("refuses a staff socket without a valid login cookie", async () => {
    for (const cookie of [undefined, "sahara-session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]) {
      const socket = track(staffClient(server.url, cookie));
      const error = await next<Error>(socket, "connect_error");
      expect(error.message).toBe("unauthenticated");
    }
  });

  it("refuses a staff socket from another origin even with a valid cookie", async () => {
    const member = await addStaff(server.url, org, server.clock.t, { username: "hijacked" });
    for (const origin of ["http://localhost:8081", "null"]) {
      const socket = track(staffClient(server.url, member.cookie, origin));
      expect((await next<Error>(socket, "connect_error")).message).toBe("forbidden");
    }
  });

  it("lets a certified counselor take a survivor's chat; an uncertified one may not", async () => {
    server.clock.t = OPEN_TIME;
    const certified = await addStaff(server.url, org, server.clock.t, { username: "ready" });
    const pending = await addStaff(server.url, org, server.clock.t, { username: "pending", certify: false });
    const waiting = await joinAsSurvivor(server.url, { partner: "demo", language: "en" });
    track(waiting.socket);
    const uncertifiedSocket = track(await connectStaff(server.url, pending.cookie));
    const refused = await request<Reply>(uncertifiedSocket as Socket, "take", {});
    expect(refused).toEqual({ ok: false, error: "not-certified" });
    // An available, certified counselor is auto-assigned the waiting chat.
    const socket = track(staffClient(server.url, certified.cookie));
    await connected(socket as Socket);
    const assigned = next<Assigned>(socket, "assigned");
    expect(await request<Reply>(socket as Socket, "status", { status: "available" })).toEqual({ ok: true });
    expect((await assigned).sessionId).toBe(waiting.queued.sessionId);
  });

  it("refuses survivors for unknown partners and while the helpline is closed", async () => {
    await expect(joinAsSurvivor(server.url, { partner: "no-such-partner" })).rejects.toThrow(/join refused/);
    server.clock.t = CLOSED_TIME;
    await expect(joinAsSurvivor(server.url, { partner: "demo" })).rejects.toThrow(/join refused: closed/);
    server.clock.t = OPEN_TIME;
  });

  it("cuts off a counselor's socket when the account is disabled or revoked", async () => {
    const disabled = await addStaff(server.url, org, server.clock.t, { username: "to-disable" });
    const revoked = await addStaff(server.url, org, server.clock.t, { username: "to-revoke" });
    const a: StaffClient = track(await connectStaff(server.url, disabled.cookie));
    const b: StaffClient = track(await connectStaff(server.url, revoked.cookie));
    const aGone = next(a, "disconnect");
    const patch = await api(server.url, "PATCH", `/api/admin/staff/${disabled.id}`, {
      body: { disabled: true },
      cookie: org.admin.cookie,
      csrf: org.admin.csrf,
    });
    expect(patch.status).toBe(200);
    await aGone;
    const bGone = next(b, "disconnect");
    const list = makeRevocationList(org.keys, [revoked.identity.publicKey], server.clock.t);
    const res = await api(server.url, "POST", "/api/admin/revocations", {
      body: { list },
      cookie: org.admin.cookie,
      csrf: org.admin.csrf,
    });
    expect(res.status).toBe(204);
    await bGone;
    // And they cannot come back with the old cookies.
    for (const cookie of [disabled.cookie, revoked.cookie]) {
      const again = track(staffClient(server.url, cookie));
      expect((await next<Error>(again, "connect_error")).message).toBe("unauthenticated");
    }
  });

  it("takes a wrap-up only with the one-time token the relay gave this counselor when the chat ended", async () => {
    // A server of its own: counselors of the other tests, still available, would be given the chats.
    const server = await startTestServer({ overrides: { relayOptions: { powDifficulty: 4 } } });
    try {
      const org = await setupOrg(server, server.clock.t);
      const first = await addStaff(server.url, org, server.clock.t, { username: "wrap-first" });
      const second = await addStaff(server.url, org, server.clock.t, { username: "wrap-second" });
      const fields = {
        partner: "demo",
        language: "en",
        platform: "whatsapp",
        harassmentTypes: ["blackmail"],
        callerType: "self",
        region: null,
        gender: null,
        referrals: [],
        outcomes: [],
        followUp: false,
        difficult: false,
        duration: "<10m",
      };
      const file = (who: typeof first, body: Record<string, unknown>) =>
        api(server.url, "POST", "/api/wrapups", { body, cookie: who.cookie, csrf: who.csrf });
      const total = async () =>
        (
          await api(server.url, "GET", "/api/admin/stats?from=2026-11-01&to=2026-12-31", {
            cookie: org.admin.cookie,
          })
        ).json.total as number;
      const before = await total();
      // No token, or one the relay never issued: refused.
      expect((await file(first, fields)).status).toBe(400);
      const invented = await file(first, { ...fields, token: "A".repeat(43) });
      expect(invented.status).toBe(403);
      expect(invented.json).toEqual({ error: "invalid-wrapup-token" });
      const token = await endedChatToken(server.url, first.cookie);
      // Another counselor's token is refused, and does not spend it.
      expect((await file(second, { ...fields, token })).status).toBe(403);
      expect((await file(first, { ...fields, token })).status).toBe(204);
      // Spent: the same chat cannot be filed twice.
      expect((await file(first, { ...fields, token })).status).toBe(403);
      expect(await total()).toBe(before + 1);
    } finally {
      await server.close();
    }
  });

  it("keeps a login alive while the counselor acts only on the socket; an idle one is cut at its next action", async () => {
    const idleMs = 10 * 60_000;
    const own = await startTestServer({
      overrides: {
        relayOptions: { powDifficulty: 4 },
        sessionTimes: { idleMs, absoluteMs: 12 * 60 * 60_000 },
      },
    });
    try {
      const ownOrg = await setupOrg(own, own.clock.t);
      const member = await addStaff(own.url, ownOrg, own.clock.t, { username: "long-chat" });
      const socket = track(await connectStaff(own.url, member.cookie));
      // 24 minutes, well past the 10-minute idle deadline, with no HTTP request: only the socket.
      for (let i = 0; i < 4; i++) {
        own.clock.t += 6 * 60_000;
        expect(await request<Reply>(socket as Socket, "status", { status: "available" })).toEqual({
          ok: true,
        });
      }
      expect((await api(own.url, "GET", "/api/auth/me", { cookie: member.cookie })).status).toBe(200);
      // Then idle past the deadline: the next action finds the login gone and the socket is cut
      // at once (not at the next minute's sweep); the reconnect is refused.
      own.clock.t += idleMs + 60_000;
      const gone = next(socket, "disconnect", 5_000);
      void request(socket as Socket, "status", { status: "away" }).catch(() => {});
      await gone;
      const again = track(staffClient(own.url, member.cookie));
      expect((await next<Error>(again, "connect_error")).message).toBe("unauthenticated");
    } finally {
      await own.close();
    }
  });

  it("survivor sockets never need (or get) a cookie", async () => {
    const socket = track(survivorClient(server.url));
    await connected(socket as Socket);
    expect(socket.connected).toBe(true);
  });

  it("close() tells waiting survivors and staff, disconnects them, and leaves nothing listening", async () => {
    const own = await startTestServer({ overrides: { relayOptions: { powDifficulty: 4 } } });
    try {
      const ownOrg = await setupOrg(own, own.clock.t);
      const waiting = await joinAsSurvivor(own.url, { partner: "demo" });
      track(waiting.socket);
      const staffSocket = track(staffClient(own.url, ownOrg.admin.cookie));
      await connected(staffSocket as Socket);
      const ended = next<{ reason: string }>(waiting.socket, "ended");
      const survivorGone = next(waiting.socket, "disconnect");
      const staffGone = next(staffSocket, "disconnect");
      const closing = own.instance.close();
      expect((await ended).reason).toBe("server-shutdown");
      await Promise.all([survivorGone, staffGone, closing]);
      await expect(fetch(`${own.url}/healthz`)).rejects.toThrow();
    } finally {
      await own.close();
    }
  });
});
