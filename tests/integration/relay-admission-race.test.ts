import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../server/state/records.ts";
import type { RelayStore } from "../../server/state/store.ts";
import { type Challenge, PROTOCOL_VERSION, type Queued, type Reply } from "../../shared/protocol/index.ts";
import { next, opaque, proof, request, survivorClient } from "../support/relay-clients.ts";
import { startRelay } from "../support/relay-harness.ts";
import { needService } from "../support/services.ts";
import { sharedStoreFixture } from "../support/shared-store.ts";

const redisRuns = await needService("redis");

/**
 * One client address joining on two nodes at once (memory or Redis store), with a bound of one
 * queue place. A join gives back the places of sessions no longer waiting before it takes one;
 * it must not give back the place another node has just taken for a session it is creating.
 */
describe.each(["memory", "redis"] as const)(
  "relay: one client's joins racing on two nodes (%s store)",
  (kind) => {
    const { harnesses, sockets, store: sharedStore } = sharedStoreFixture(kind);

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
        const inner = await sharedStore();
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
