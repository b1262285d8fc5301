import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { Assigned, SessionId, StaffId, Transferring } from "../../shared/protocol/index.ts";
import {
  collect,
  connected,
  joinAsSurvivor,
  next,
  opaque,
  request,
  staffClient,
} from "../support/relay-clients.ts";
import { principal } from "../support/relay-harness.ts";
import { needService } from "../support/services.ts";
import { sharedStoreFixture } from "../support/shared-store.ts";

const run = await needService("redis");
const DESK_OLD = "ZGVzay1vLWRlc2stby0wMQ";
const DESK_NEW = "ZGVzay1uLWRlc2stbi0wMg";

/**
 * One desk per staff member (PROTOCOL.md step 6a) across two relay nodes on one Redis, linked by
 * socket.io's streams adapter as deployed: the older console page is on node A, the newer page of
 * the same counselor on node B. Raw protocol clients on real sockets.
 */
describe.runIf(run)("one desk per staff member, across nodes", () => {
  const { sockets, redisNodes } = sharedStoreFixture("redis");

  it("a fresh desk on node B takes the chat from the desk on node A, which is told, closed, and refused on either node", {
    timeout: 20_000,
  }, async () => {
    const [a, b] = await redisNodes(2, { resumeGraceMs: 60_000 });
    if (!a || !b) throw new Error("two nodes");
    const who = principal("ayesha");
    const cookieA = a.addStaff(who);
    const cookieB = b.addStaff(who);
    const desk = async (url: string, cookie: string, id: string, fresh: boolean) => {
      const socket = staffClient(url, cookie, { desk: id, fresh }) as Socket;
      sockets.push(socket);
      await connected(socket);
      return socket;
    };

    const old = await desk(a.url, cookieA, DESK_OLD, true);
    expect(await request(old, "status", { status: "available" })).toEqual({ ok: true });
    const s = await joinAsSurvivor(a.url);
    sockets.push(s.socket);
    const sessionId = s.queued.sessionId as SessionId;
    expect((await next<Assigned>(old, "assigned", 3000)).epoch).toBe(0);
    expect(await request(old, "accept", { sessionId, epoch: 0, handshake: opaque(300) })).toEqual({
      ok: true,
    });

    // The newer page connects to node B: node A's page is told and closed through the adapter.
    const replaced = next(old, "replaced", 3000);
    const closed = next<string>(old, "disconnect", 3000);
    const rekey = next<Transferring>(s.socket as Socket, "transferring", 3000);
    const fresh = await desk(b.url, cookieB, DESK_NEW, true);
    const forNew = next<Assigned>(fresh, "assigned", 3000);
    await replaced;
    expect(await closed).toBe("io server disconnect");
    expect(await rekey).toEqual({ sessionId, epoch: 1 });
    expect(await request(s.socket as Socket, "transfer-key", { sessionId, survivorKey: opaque(32) })).toEqual(
      { ok: true },
    );
    const got = await forNew;
    expect([got.sessionId, got.epoch, got.transfer]).toEqual([sessionId, 1, undefined]);
    const accepted = next(s.socket as Socket, "accepted", 3000);
    expect(await request(fresh, "accept", { sessionId, epoch: 1, handshake: opaque(300) })).toEqual({
      ok: true,
    });
    await accepted;
    const endedAtNew = collect(fresh, "ended");

    // The replaced page comes back (its reconnection, not fresh), on node A and on node B: refused.
    for (const url of [a.url, b.url]) {
      const cookie = url === a.url ? cookieA : cookieB;
      const again = staffClient(url, cookie, { desk: DESK_OLD, fresh: false }) as Socket;
      sockets.push(again);
      expect((await next<Error>(again, "connect_error", 3000)).message).toBe("replaced");
    }

    // The chat is the new desk's alone, on every node's view of the store.
    const record = await a.store.getSession(sessionId);
    expect([record?.state, record?.counselor, record?.epoch]).toEqual(["active", "ayesha", 1]);
    const presence = await b.store.getStaff("ayesha" as StaffId);
    expect([presence?.desk, presence?.connections]).toEqual([DESK_NEW, 1]);
    const frameAtNew = next<{ seq: number }>(fresh, "frame", 3000);
    expect(
      await request(s.socket as Socket, "frame", { sessionId, epoch: 1, seq: 0, ciphertext: opaque(273) }),
    ).toEqual({ ok: true });
    expect((await frameAtNew).seq).toBe(0);
    expect(endedAtNew).toEqual([]);
  });

  it("a replaced page's reconnection that node A had let in just before node B's takeover does not write the old desk back", {
    timeout: 20_000,
  }, async () => {
    const [a, b] = await redisNodes(2, { resumeGraceMs: 60_000 });
    if (!a || !b) throw new Error("two nodes");
    const who = principal("ayesha");
    const cookieA = a.addStaff(who);
    const cookieB = b.addStaff(who);
    const old = staffClient(a.url, cookieA, { desk: DESK_OLD, fresh: true }) as Socket;
    sockets.push(old);
    await connected(old);
    const connectedAtA = () => a.logs.filter((l) => l.includes("staff connected")).length;
    await expect.poll(connectedAtA).toBe(1);
    old.disconnect();
    // The old page reconnects to node A, which checks its desk (still the holder) and then, slower
    // than node B, records the connection: held here until node B's takeover has run.
    const connectHere = a.store.connectStaff.bind(a.store);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached = () => {};
    const atConnect = new Promise<void>((resolve) => {
      reached = resolve;
    });
    a.store.connectStaff = async (...args) => {
      reached();
      await held;
      return connectHere(...args);
    };
    const back = staffClient(a.url, cookieA, { desk: DESK_OLD, fresh: false }) as Socket;
    sockets.push(back);
    const backReplaced = next(back, "replaced", 5000);
    await connected(back);
    await atConnect;
    const fresh = staffClient(b.url, cookieB, { desk: DESK_NEW, fresh: true }) as Socket;
    sockets.push(fresh);
    await connected(fresh);
    await backReplaced;
    await expect.poll(async () => (await b.store.getStaff("ayesha" as StaffId))?.desk).toBe(DESK_NEW);
    release();
    // Node A's held connection is recorded (its first "staff connected" was the old page's).
    await expect.poll(connectedAtA).toBe(2);

    // The new page holds the desk on every node: its own reconnection is let in, the old one not.
    expect((await b.store.getStaff("ayesha" as StaffId))?.desk).toBe(DESK_NEW);
    fresh.disconnect();
    const agains: Socket[] = [];
    for (const [url, cookie] of [
      [a.url, cookieA],
      [b.url, cookieB],
    ] as const) {
      const again = staffClient(url, cookie, { desk: DESK_NEW, fresh: false }) as Socket;
      sockets.push(again);
      await connected(again);
      agains.push(again);
      const stale = staffClient(url, cookie, { desk: DESK_OLD, fresh: false }) as Socket;
      sockets.push(stale);
      expect((await next<Error>(stale, "connect_error", 3000)).message).toBe("replaced");
    }
    await expect.poll(async () => (await b.store.getStaff("ayesha" as StaffId))?.connections).toBe(2);
    expect(agains.map((x) => x.connected)).toEqual([true, true]);
    expect((await a.store.getStaff("ayesha" as StaffId))?.desk).toBe(DESK_NEW);
  });
});
