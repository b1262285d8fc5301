import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { connectRedis, type RedisConnection } from "../../server/state/redis-connection.ts";
import { NODE_TIMEOUT_MS, RedisStore } from "../../server/state/redis-store.ts";
import type { SessionId } from "../../shared/protocol/index.ts";
import { connectStaff, joinAsSurvivor, next, opaque, request } from "../support/relay-clients.ts";
import { principal, startRelay } from "../support/relay-harness.ts";
import { needService, redisUrl } from "../support/services.ts";

const run = await needService("redis");
const GRACE_MS = 300;

/**
 * A node killed outright (SIGKILL, a lost machine) records no disconnect for its survivors: each
 * session record still names a socket on it. The other nodes must see that the node died and
 * give such a survivor the resume grace from the node's last heartbeat, as they do a survivor
 * whose disconnect was recorded; otherwise a survivor who never comes back holds the counselor's
 * chat until the idle timeout (20 minutes).
 */
describe.runIf(run)("relay: a survivor whose node died", () => {
  const prefix = `d${randomBytes(6).toString("hex")}:`;
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function node(nodeId: string, resumeGraceMs = GRACE_MS) {
    const connection: RedisConnection = await connectRedis(redisUrl, () => {});
    // `dead`: every command from now on is lost, as a killed process's are (nothing is written);
    // at clean-up they fail, so that the relay's queued work lets its shutdown finish.
    const state = { dead: false };
    const lost: ((error: Error) => void)[] = [];
    const store = new RedisStore({
      redis: {
        send: (args) =>
          state.dead ? new Promise((_, reject) => lost.push(reject)) : connection.commands.send(args),
      },
      prefix,
      nodeId,
      now: Date.now,
    });
    await store.heartbeat();
    const beat = setInterval(() => {
      if (!state.dead) void store.heartbeat().catch(() => {});
    }, 500);
    const relay = await startRelay<RedisStore>({ store, resumeGraceMs, handOver: true });
    cleanup.push(async () => {
      clearInterval(beat);
      for (const key of (await connection.commands.send(["KEYS", `${prefix}*`])) as string[])
        await connection.commands.send(["DEL", key]);
      await connection.close();
    });
    cleanup.push(async () => {
      state.dead = false;
      for (const reject of lost.splice(0)) reject(new Error("node killed"));
      await relay.close();
    });
    return { relay, store, state };
  }

  it("ends the chat as expired, told to the counselor on another node, once the grace from the dead node's last beat has run out", {
    timeout: 20_000,
  }, async () => {
    const a = await node("node-a");
    const b = await node("node-b");
    const survivor = await joinAsSurvivor(a.relay.url);
    cleanup.push(() => survivor.socket.close());
    const sessionId = survivor.queued.sessionId as SessionId;
    const staff = await connectStaff(b.relay.url, b.relay.addStaff(principal("dead-node-counselor")), "away");
    cleanup.push(() => staff.close());
    expect((await request(staff as Socket, "take", { sessionId })).ok).toBe(true);
    expect(
      (await request(staff as Socket, "accept", { sessionId, epoch: 0, handshake: opaque(64) })).ok,
    ).toBe(true);
    expect((await b.store.getSession(sessionId))?.survivorNode).toBe("node-a");

    // Node A dies: its heartbeat stops and the survivor's disconnect is never written.
    a.state.dead = true;
    const killedAt = Date.now();
    const ended = next<{ sessionId: string; reason: string }>(staff, "ended", 15_000);
    survivor.socket.close();

    // A node only late with its beat still holds its sockets: nothing ends inside the timeout.
    await new Promise((r) => setTimeout(r, NODE_TIMEOUT_MS - 1000));
    expect((await b.store.getSession(sessionId))?.state).toBe("active");

    expect(await ended).toMatchObject({ sessionId, reason: "expired" });
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(GRACE_MS);
    expect(await b.store.getSession(sessionId)).toBeNull();
    expect([...(await b.store.deadNodes()).keys()]).toEqual(["node-a"]);
  });

  it("does not assign a waiting survivor whose node died to a counselor: the next survivor is served", {
    timeout: 20_000,
  }, async () => {
    // A grace long enough to watch the queue while the dead node's survivor still waits in it.
    const a = await node("node-a", 10_000);
    const b = await node("node-b", 10_000);
    const ghost = await joinAsSurvivor(a.relay.url);
    cleanup.push(() => ghost.socket.close());
    const ghostId = ghost.queued.sessionId as SessionId;
    a.state.dead = true;
    ghost.socket.close();
    await expect
      .poll(async () => [...(await b.store.deadNodes()).keys()], { timeout: 6000 })
      .toEqual(["node-a"]);

    const staff = await connectStaff(b.relay.url, b.relay.addStaff(principal("dead-node-counselor")), "away");
    cleanup.push(() => staff.close());
    const live = await joinAsSurvivor(b.relay.url);
    cleanup.push(() => live.socket.close());
    const assigned = next<{ sessionId: string }>(staff, "assigned", 5000);
    expect((await request(staff as Socket, "status", { status: "available" })).ok).toBe(true);
    expect((await assigned).sessionId).toBe(live.queued.sessionId);
    expect((await b.store.getSession(ghostId))?.state).toBe("waiting");
  });
});
