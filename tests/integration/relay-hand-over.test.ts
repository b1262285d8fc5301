import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../../server/state/memory-store.ts";
import { connectRedis, type RedisConnection } from "../../server/state/redis-connection.ts";
import { RedisStore } from "../../server/state/redis-store.ts";
import type { RelayStore } from "../../server/state/store.ts";
import { joinAsSurvivor, request } from "../support/relay-clients.ts";
import { type Harness, startRelay } from "../support/relay-harness.ts";
import { needService, redisUrl } from "../support/services.ts";

const redisRuns = await needService("redis");
const GRACE_MS = 300;

/**
 * A node stopping with a shared store (`handOver`) closes its clients' transports and leaves their
 * chats to the other nodes, which measure the survivor's resume grace from the record. A
 * transport that cannot close at once must not leave the record saying the survivor is still
 * connected, to a socket on a node that is gone.
 */
describe.each(["memory", "redis"] as const)("relay: a node handing over (%s store)", (kind) => {
  let redis: RedisConnection | undefined;
  const prefix = `h${randomBytes(6).toString("hex")}:`;
  const harnesses: Harness<RelayStore>[] = [];
  const sockets: { close: () => void }[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    for (const h of harnesses.splice(0).reverse()) await h.close();
    if (redis) {
      for (const key of (await redis.commands.send(["KEYS", `${prefix}*`])) as string[])
        await redis.commands.send(["DEL", key]);
      await redis.close();
      redis = undefined;
    }
  });

  async function twoNodes() {
    let store: RelayStore;
    if (kind === "redis") {
      redis = await connectRedis(redisUrl, () => {});
      store = new RedisStore({ redis: redis.commands, prefix, nodeId: "n1", now: Date.now });
    } else store = new MemoryStore(Date.now);
    const a = await startRelay<RelayStore>({ store, resumeGraceMs: GRACE_MS, handOver: true });
    const b = await startRelay<RelayStore>({ store, resumeGraceMs: GRACE_MS, handOver: true });
    harnesses.push(b, a);
    return { store, a, b };
  }

  it.runIf(kind === "memory" || redisRuns)(
    "records a survivor as gone when the node hands over, though its long-polling transport cannot close yet; the other node ends the chat after the grace",
    async () => {
      const { store, a } = await twoNodes();
      const s = await joinAsSurvivor(a.url, {}, ["polling"]);
      sockets.push(s.socket);
      const sessionId = s.queued.sessionId;
      // The client stops polling once the open request is answered (by a position push or the
      // keep-alive's reply, sent first: a pausing transport drops what is sent after). With no
      // request to carry the close packet, engine.io waits up to 30 s before it closes the
      // transport, so the socket's disconnect comes after the node stopped.
      const transport = s.socket.io.engine.transport as unknown as { pause: (done: () => void) => void };
      request(s.socket as Socket, "waiting", { sessionId }).catch(() => {});
      await new Promise<void>((resolve) => transport.pause(resolve));
      const before = Date.now();
      await a.relay.shutdown();
      const record = await store.getSession(sessionId as never);
      expect(record?.survivorSocket).toBeNull();
      expect(record?.survivorDisconnectedAt).toBeGreaterThanOrEqual(before);
      // Node B's sweep measures the grace from that moment and ends the chat.
      await expect.poll(() => store.getSession(sessionId as never), { timeout: 3000 }).toBeNull();
    },
  );
});
