import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Assigned,
  PROTOCOL_VERSION,
  type Reply,
  type SessionId,
  type StaffEnded,
} from "../../shared/protocol/index.ts";
import { MemoryStore } from "../../server/state/memory-store.ts";
import { connectRedis, type RedisConnection } from "../../server/state/redis-connection.ts";
import { RedisStore } from "../../server/state/redis-store.ts";
import type { RelayStore } from "../../server/state/store.ts";
import {
  collect,
  connectStaff,
  dropNetwork,
  joinAsSurvivor,
  opaque,
  request,
  survivorClient,
} from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";
import { needService, redisUrl } from "../support/services.ts";

const redisRuns = await needService("redis");
const GRACE_MS = 400;
/** Node B never ends a chat for its grace: node A's sweep does. */
const B_GRACE_MS = 3_600_000;

/**
 * A survivor whose connection dropped resumes on node B at the moment node A's sweep finds the
 * resume grace run out. Staged at the store: A's delete is held until B's resume is written. The
 * sweep's delete is conditional on the version it read, so it removes nothing, the record is
 * judged again (the survivor is connected) and the chat goes on; the counselor is told nothing.
 */
describe("relay: a resume as the sweep ends the chat for its grace", () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  for (const kind of ["memory", "redis"] as const) {
    it.runIf(kind === "memory" || redisRuns)(`${kind}: the resume wins, the chat goes on`, async () => {
      // With Redis the relay's clock runs an hour ahead of Redis's, so no key expires by itself.
      let now = Date.now() + (kind === "redis" ? 3_600_000 : 0);
      const clock = () => now;
      let inner: RelayStore;
      if (kind === "redis") {
        const redis: RedisConnection = await connectRedis(redisUrl, () => {});
        const prefix = `t${randomBytes(6).toString("hex")}:`;
        inner = new RedisStore({ redis: redis.commands, prefix, nodeId: "n1", now: clock });
        closers.push(async () => {
          await inner.clear();
          await redis.close();
        });
      } else inner = new MemoryStore(clock);

      let target: SessionId | null = null;
      let onDelete: (() => Promise<void>) | null = null;
      let deleted: (value: unknown) => void = () => {};
      const deleteDone = new Promise((resolve) => {
        deleted = resolve;
      });
      const store = new Proxy(inner, {
        get(t, prop, receiver) {
          if (prop === "deleteSession")
            return async (id: SessionId, ifVersion?: number) => {
              const hook = id === target ? onDelete : null;
              if (hook) onDelete = null;
              await hook?.();
              const removed = await t.deleteSession(id, ifVersion);
              if (hook) deleted(removed);
              return removed;
            };
          const value = Reflect.get(t, prop, receiver);
          return typeof value === "function" ? value.bind(t) : value;
        },
      });
      const a = await startRelay<RelayStore>({ store, now: clock, resumeGraceMs: GRACE_MS });
      closers.push(() => a.close());
      const b: Harness<RelayStore> = await startRelay<RelayStore>({
        store,
        now: clock,
        resumeGraceMs: B_GRACE_MS,
        handOver: true,
      });
      closers.push(() => b.close());

      const staff = await connectStaff(a.url, a.addStaff(principal("alice")), "away");
      closers.push(() => void staff.close());
      const ended = collect<StaffEnded>(staff, "ended");
      const s = await joinAsSurvivor(a.url);
      closers.push(() => void s.socket.close());
      const sessionId = s.queued.sessionId;
      const taken = await request<Reply<{ assigned: Assigned }>>(staff as Socket, "take", { sessionId });
      expect(taken.ok).toBe(true);
      expect(
        await request(staff as Socket, "accept", { sessionId, epoch: 0, handshake: opaque(64) }),
      ).toEqual({
        ok: true,
      });

      dropNetwork(s.socket);
      await expect.poll(async () => (await store.getSession(sessionId))?.survivorSocket ?? "").toBe("");

      const back = survivorClient(b.url);
      closers.push(() => void back.close());
      let resumed: unknown = null;
      target = sessionId;
      onDelete = async () => {
        resumed = await request(back as Socket, "resume", {
          version: PROTOCOL_VERSION,
          sessionId,
          resumeToken: s.queued.resumeToken,
        });
      };
      // The grace runs out: A's next sweep ends the chat, and B's resume is written just before
      // its delete.
      now += GRACE_MS;
      const removed = await deleteDone;
      expect(resumed).toMatchObject({ ok: true });
      expect(removed).toBeNull();
      const record = await store.getSession(sessionId);
      expect(record?.state).toBe("active");
      expect(record?.survivorSocket).not.toBeNull();
      expect(ended).toEqual([]);
    });
  }
});
