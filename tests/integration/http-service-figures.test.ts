import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Assigned, Reply } from "../../shared/protocol/index.ts";
import { consoleSocket } from "../support/http-chat.ts";
import { api } from "../support/http-client.ts";
import { CLOSED_TIME, OPEN_TIME, startTestServer, type TestServer } from "../support/http-server.ts";
import { addStaff, type Org, setupOrg } from "../support/http-staff.ts";
import { connected, joinAsSurvivor, request } from "../support/relay-clients.ts";

/**
 * Real chats through a real server (createRelay, SQLite): each event lands in the hourly
 * counters of the helpline's local day, and the statistics answer and the CSV carry them.
 */
describe("service figures through the relay", () => {
  let server: TestServer;
  let org: Org;

  beforeAll(async () => {
    server = await startTestServer({ overrides: { relayOptions: { powDifficulty: 4, maxWaiting: 1 } } });
    org = await setupOrg(server, server.clock.t);
  });
  afterAll(async () => {
    await server?.close();
  });

  const day = async () => {
    const [d] = await server.instance.repos.service.days({ from: "2026-11-30", to: "2026-11-30" });
    return d?.figures.counters;
  };

  it("counts offered, answered, abandoned, quick exit and both refusals", async () => {
    const counselor = await addStaff(server.url, org, server.clock.t, { username: "figures" });
    server.clock.t = OPEN_TIME;
    const staff = consoleSocket(server.url, counselor.cookie);
    await connected(staff as Socket);
    try {
      // A chat a counselor takes, ended by the survivor's quick exit 3 minutes later.
      const chat = await joinAsSurvivor(server.url);
      server.clock.t = OPEN_TIME + 90_000;
      const taken = await request<Reply<{ assigned: Assigned }>>(staff as Socket, "take", {
        sessionId: chat.queued.sessionId,
      });
      expect(taken.ok).toBe(true);
      server.clock.t = OPEN_TIME + 180_000;
      await request(chat.socket as Socket, "leave", {
        sessionId: chat.queued.sessionId,
        reason: "quick-exit",
      });
      chat.socket.close();

      // One waiting (the queue holds one here): the next is turned away, then the first gives up.
      const waiting = await joinAsSurvivor(server.url);
      await expect(joinAsSurvivor(server.url)).rejects.toThrow("queue-full");
      server.clock.t = OPEN_TIME + 10 * 60_000;
      await request(waiting.socket as Socket, "leave", {
        sessionId: waiting.queued.sessionId,
        reason: "ended",
      });
      waiting.socket.close();

      // 23:00 in Karachi: closed.
      server.clock.t = CLOSED_TIME;
      await expect(joinAsSurvivor(server.url)).rejects.toThrow("closed");
    } finally {
      staff.close();
    }

    // Written after the relay moves on (never awaited by it): wait for the last one.
    await expect.poll(async () => (await day())?.refused_closed, { timeout: 5000 }).toBe(1);
    expect(await day()).toEqual({
      offered: 2,
      answered: 1,
      abandoned: 1,
      quick_exit: 1,
      refused_closed: 1,
      refused_full: 1,
    });
    const hours = await server.instance.db.db
      .selectFrom("service_hours")
      .select(["hour", "offered", "refused_closed"])
      .orderBy("hour")
      .execute();
    expect(hours).toEqual([
      { hour: 11, offered: 2, refused_closed: 0 },
      { hour: 23, offered: 0, refused_closed: 1 },
    ]);

    // Back within the admin's login session.
    server.clock.t = OPEN_TIME + 11 * 60_000;
    const stats = await api(server.url, "GET", "/api/admin/stats?from=2026-11-30&to=2026-11-30", {
      cookie: org.admin.cookie,
    });
    expect(stats.status).toBe(200);
    // Answered after 90 s (1-2 min); abandoned after 7 minutes (5-10 min).
    expect(stats.json.service.answeredWaits).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(stats.json.service.abandonedWaits).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(stats.json.service.closedByHour[1 * 24 + 23]).toBe(1);

    const csv = await api(server.url, "GET", "/api/admin/stats.csv?from=2026-11-30&to=2026-11-30", {
      cookie: org.admin.cookie,
    });
    // Every figure here is under 5: published as "<5", and no percentile beside it.
    expect(csv.text).toContain('"2026-11-30/2026-11-30","service","offered","<5"');
    expect(csv.text).toContain('"2026-11-30/2026-11-30","service","refused_full","<5"');
    expect(csv.text).toContain('"2026-11-30/2026-11-30","answered_wait_p50","suppressed","<5"');
    expect(csv.text).toContain('"2026-11-30/2026-11-30","closed_attempts","mon-23","<5"');
  });
});
