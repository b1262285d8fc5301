import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../../server/state/memory-store.ts";
import type { SessionRecord } from "../../server/state/records.ts";
import { connectRedis, type RedisConnection } from "../../server/state/redis-connection.ts";
import { RedisStore } from "../../server/state/redis-store.ts";
import type { RelayStore } from "../../server/state/store.ts";
import { type Challenge, PROTOCOL_VERSION, type Queued, type Reply } from "../../shared/protocol/index.ts";
import { next, opaque, proof, request, survivorClient } from "../support/relay-clients.ts";
import { type Harness, startRelay } from "../support/relay-harness.ts";
import { needService, redisUrl } from "../support/services.ts";

const redisRuns = await needService("redis");

/**
 * One client address joining on two nodes at once (memory or Redis store), with a bound of one
 * queue place. A join gives back the places of sessions no longer waiting before it takes one;
 * it must not give back the place another node has just taken for a session it is creating.
 */
describe.each(["memory", "redis"] as const)(
  "relay: one client's joins racing on two nodes (%s store)",
  (kind) => {
    let redis: RedisConnection | undefined;
    const prefix = `q${randomBytes(6).toString("hex")}:`;
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

    async function joinReply(url: string): Promise<Reply<Queued>> {
      const socket = survivorClient(url);
      sockets.push(socket);
      const challenge = await next<Challenge>(socket as Socket, "challenge");
      return request<Reply<Queued>>(socket as Socket, "join", {
        version: PROTOCOL_VERSION,
        pow: await proof(challenge),
        survivorKey: opaque(32),
        language: "en",
        partner: "demo",
      });
    }

    it.runIf(kind === "memory" || redisRuns)(
      "the second join is refused queue-full even while the first node is still creating its session",
      async () => {
        let inner: RelayStore;
        if (kind === "redis") {
          redis = await connectRedis(redisUrl, () => {});
          inner = new RedisStore({ redis: redis.commands, prefix, nodeId: "n1", now: Date.now });
        } else inner = new MemoryStore(Date.now);
        // Node A's first session write waits until node B's join has been answered.
        let entered!: () => void;
        const atCreate = new Promise<void>((resolve) => {
          entered = resolve;
        });
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const onA = new Proxy(inner, {
          get(target, prop, receiver) {
            if (prop === "createSession")
              return async (record: SessionRecord) => {
                entered();
                await gate;
                return target.createSession(record);
              };
            const value = Reflect.get(target, prop, receiver);
            return typeof value === "function" ? value.bind(target) : value;
          },
        });
        const secret = new Uint8Array(randomBytes(32));
        const options = { maxWaitingPerClient: 1, secret, handOver: true };
        const a = await startRelay<RelayStore>({ ...options, store: onA });
        const b = await startRelay<RelayStore>({ ...options, store: inner });
        harnesses.push(a, b);
        const first = joinReply(a.url);
        await atCreate;
        const second = await joinReply(b.url);
        release();
        const replies = [await first, second];
        expect(replies.filter((r) => r.ok)).toHaveLength(1);
        expect(replies.filter((r) => !r.ok)).toEqual([{ ok: false, error: "queue-full" }]);
        // One session waits, and the refused one left no record behind.
        const waiting = (await inner.listSessions()).filter((s) => s.state === "waiting");
        expect(waiting.map((s) => s.id)).toEqual(replies.flatMap((r) => (r.ok ? [r.sessionId] : [])));
      },
    );
  },
);
