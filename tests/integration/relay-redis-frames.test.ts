import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { Server } from "socket.io";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieStaffDeps } from "../../bench/cookie-staff-deps.ts";
import { attachRelay, relayServerOptions } from "../../server/relay/index.ts";
import { connectRedis, type RedisConnection } from "../../server/state/redis-connection.ts";
import { RedisStore } from "../../server/state/redis-store.ts";
import { streamsAdapter } from "../../server/state/streams-adapter.ts";
import { connectStaff, joinAsSurvivor, next, request } from "../support/relay-clients.ts";
import { needService, redisUrl } from "../support/services.ts";

const run = await needService("redis");

type Node = Readonly<{ url: string; nodeId: string; close: () => Promise<void> }>;

/**
 * What a relayed frame costs in Redis, on relay nodes with the Redis store and socket.io's streams
 * adapter under a prefix of their own on the shared Redis: the stream entries it appends (every
 * node reads and decodes each one) and the store commands it sends.
 */
describe.runIf(run)("relayed frames on Redis", () => {
  const prefix = `f${randomBytes(6).toString("hex")}:`;
  const stream = `${prefix}sio`;
  let redis: RedisConnection;
  const nodes: Node[] = [];
  const sockets: Socket[] = [];
  /** Store commands of every node, by name (the session key's GET apart). */
  const commands = new Map<string, number>();
  const count = (name: string) => commands.set(name, (commands.get(name) ?? 0) + 1);

  async function startNode(): Promise<Node> {
    const connection = await connectRedis(redisUrl, () => {});
    const nodeId = randomBytes(9).toString("base64url");
    const store = new RedisStore({
      redis: {
        send: (args) => {
          const [name = "", key = ""] = args;
          count(name === "GET" && key.startsWith(`${prefix}session:`) ? "GET session" : name);
          return connection.commands.send(args);
        },
      },
      prefix,
      nodeId,
      now: Date.now,
    });
    await store.heartbeat();
    const http = createServer();
    const io = new Server(http, {
      ...relayServerOptions,
      adapter: streamsAdapter(connection.client, prefix),
    });
    const relay = attachRelay(
      io,
      cookieStaffDeps({
        logger: pino({ level: "silent" }),
        secret: new Uint8Array(Buffer.from(prefix.padEnd(32, "s"))),
        chatLimit: 10,
      }),
      { store, handOver: true, powDifficulty: 1 },
    );
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      nodeId,
      close: async () => {
        await relay.shutdown();
        await new Promise<void>((resolve) => io.close(() => resolve()));
        http.closeAllConnections();
        await connection.close();
      },
    };
  }

  beforeAll(async () => {
    redis = await connectRedis(redisUrl, () => {});
    nodes.push(await startNode(), await startNode());
  });
  afterAll(async () => {
    for (const s of sockets.splice(0)) s.close();
    for (const n of nodes.splice(0)) await n.close();
    await new RedisStore({ redis: redis.commands, prefix, nodeId: "t", now: Date.now }).clear();
    await redis?.close();
  });

  /**
   * Sends `n` frames each way, each acknowledged end to end by its receiver, and resolves to the
   * frame and ack entries the stream gained and the store commands sent per relayed message.
   */
  async function exchange(c: Awaited<ReturnType<typeof chatOn>>, n: number) {
    const before = await streamEntries();
    commands.clear();
    const received = { survivor: [] as number[], staff: [] as number[] };
    const acked = { survivor: [] as number[], staff: [] as number[] };
    c.survivor.on("frame", (f: { seq: number }) => {
      received.survivor.push(f.seq);
      c.survivor.emit("ack", { sessionId: c.sessionId, epoch: 0, seq: f.seq });
    });
    c.staff.on("frame", (f: { seq: number }) => {
      received.staff.push(f.seq);
      c.staff.emit("ack", { sessionId: c.sessionId, epoch: 0, seq: f.seq });
    });
    c.survivor.on("ack", (a: { seq: number }) => acked.survivor.push(a.seq));
    c.staff.on("ack", (a: { seq: number }) => acked.staff.push(a.seq));
    for (let seq = 0; seq < n; seq++) {
      const frame = { sessionId: c.sessionId, epoch: 0, seq, ciphertext: randomBytes(100) };
      expect((await request(c.survivor, "frame", frame)).ok).toBe(true);
      expect((await request(c.staff, "frame", frame)).ok).toBe(true);
    }
    const all = Array.from({ length: n }, (_, i) => i);
    await expect
      .poll(() => [received, acked])
      .toEqual([
        { survivor: all, staff: all },
        { survivor: all, staff: all },
      ]);
    const relayed = (await streamEntries()).filter((e) => !before.has(e.id) && e.relayed);
    return {
      entries: relayed.length,
      perMessage: (name: string) => (commands.get(name) ?? 0) / (4 * n),
    };
  }

  /** The stream's entries, each marked when it carries a relayed frame or ack. */
  async function streamEntries() {
    const reply = (await redis.commands.send(["XRANGE", stream, "-", "+"])) as [string, string[]][];
    const out = (reply ?? []).map(([id, fields]) => {
      const data = fields[fields.indexOf("data") + 1] ?? "";
      // Binary payloads are base64 msgpack (a frame's ciphertext), the rest JSON (an ack).
      const text = data.startsWith("{") ? data : Buffer.from(data, "base64").toString("latin1");
      return { id, relayed: /"(frame|ack)"|\xa5frame/.test(text) };
    });
    return Object.assign(out, { has: (id: string) => out.some((e) => e.id === id) });
  }

  it("between two sockets on one node, appends nothing to the stream and reads no record per frame", async () => {
    const [a] = nodes as [Node];
    const c = await chatOn(a.url, a.url, "same");
    const cost = await exchange(c, 20);
    expect(cost.entries).toBe(0);
    // The record is read (and decoded) only when its version changed; the version per message.
    expect(cost.perMessage("GET session")).toBeLessThan(0.1);
    expect(cost.perMessage("GETRANGE")).toBeLessThanOrEqual(1);
  });

  it("between two nodes, every frame and ack crosses the stream once", async () => {
    const [a, b] = nodes as [Node, Node];
    const c = await chatOn(a.url, b.url, "across");
    const cost = await exchange(c, 20);
    expect(cost.entries).toBe(4 * 20);
    expect(cost.perMessage("GET session")).toBeLessThan(0.1);
  });

  it("reaches a counselor's tab on a node whose heartbeat is late (stalled, not dead) by the stream", async () => {
    const [a, b] = nodes as [Node, Node];
    // The counselor's chat tab is on B; a second tab and the survivor are on A.
    const c = await chatOn(a.url, b.url, "stalled");
    const other = (await connectStaff(a.url, "sid=stalled", "away")) as Socket;
    sockets.push(other);
    // B's last beat is older than the node timeout: it stopped beating, its sockets may be open.
    await redis.commands.send(["ZADD", `${prefix}nodes`, String(Date.now() - 60_000), b.nodeId]);
    const onB: number[] = [];
    const onA: number[] = [];
    c.staff.on("frame", (f: { seq: number }) => onB.push(f.seq));
    other.on("frame", (f: { seq: number }) => onA.push(f.seq));
    const frame = { sessionId: c.sessionId, epoch: 0, seq: 0, ciphertext: randomBytes(100) };
    expect((await request(c.survivor, "frame", frame)).ok).toBe(true);
    await expect.poll(() => [onA, onB]).toEqual([[0], [0]]);
  });

  /** An active chat: the survivor on `survivorUrl`, the counselor `name` on `staffUrl`. */
  async function chatOn(survivorUrl: string, staffUrl: string, name: string) {
    const staff = (await connectStaff(staffUrl, `sid=${name}`, "away")) as Socket;
    const joined = await joinAsSurvivor(survivorUrl);
    const survivor = joined.socket as Socket;
    sockets.push(staff, survivor);
    const { sessionId } = joined.queued;
    expect((await request(staff, "take", { sessionId })).ok).toBe(true);
    const accepted = next(survivor, "accepted");
    expect((await request(staff, "accept", { sessionId, epoch: 0, handshake: randomBytes(64) })).ok).toBe(
      true,
    );
    await accepted;
    return { staff, survivor, sessionId: sessionId as string };
  }
});
