import { randomBytes } from "node:crypto";
import { afterEach } from "vitest";
import { MemoryStore } from "../../server/state/memory-store.ts";
import { connectRedis, type RedisConnection } from "../../server/state/redis-connection.ts";
import { RedisStore } from "../../server/state/redis-store.ts";
import type { RelayStore } from "../../server/state/store.ts";
import { streamsAdapter } from "../../server/state/streams-adapter.ts";
import { type Harness, type HarnessOptions, startRelay } from "./relay-harness.ts";
import { redisUrl } from "./services.ts";

/**
 * Relay nodes of one test sharing a store: `store()` gives a MemoryStore, or a RedisStore under a
 * fresh prefix on the test Redis. After each test, the sockets and harnesses handed to it are
 * closed (harnesses in the reverse order of their push) and the prefix's keys deleted.
 */
export function sharedStoreFixture(kind: "memory" | "redis") {
  let redis: RedisConnection | undefined;
  let prefix = "";
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
  async function store(): Promise<RelayStore> {
    if (kind === "memory") return new MemoryStore(Date.now);
    redis = await connectRedis(redisUrl, () => {});
    prefix = `t${randomBytes(6).toString("hex")}:`;
    return new RedisStore({ redis: redis.commands, prefix, nodeId: "n1", now: Date.now });
  }
  /**
   * Relay nodes as deployed (Redis only): each its own Redis connection, node id and heartbeat,
   * one prefix, and socket.io's streams adapter between them, so a room emit or
   * `disconnectSockets` on one node reaches the sockets of every node.
   */
  async function redisNodes(count: number, options: HarnessOptions<RedisStore> = {}) {
    prefix = `t${randomBytes(6).toString("hex")}:`;
    redis = await connectRedis(redisUrl, () => {});
    const nodes: Harness<RedisStore>[] = [];
    for (let i = 0; i < count; i++) {
      const connection = await connectRedis(redisUrl, () => {});
      const store = new RedisStore({ redis: connection.commands, prefix, nodeId: `n${i}`, now: Date.now });
      await store.heartbeat();
      const beat = setInterval(() => void store.heartbeat().catch(() => {}), 500);
      const node = await startRelay<RedisStore>({
        handOver: true,
        ...options,
        store,
        adapter: streamsAdapter(connection.client, prefix),
      });
      nodes.push(node);
      harnesses.push({
        ...node,
        close: async () => {
          clearInterval(beat);
          await node.close();
          await connection.close();
        },
      });
    }
    return nodes;
  }
  return { harnesses, sockets, store, redisNodes };
}
