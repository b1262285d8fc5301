import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createServer } from "node:http";
import * as inspector from "node:inspector";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Server } from "socket.io";
import { attachRelay, relayServerOptions } from "../server/relay/index.ts";
import { connectRedis } from "../server/state/redis-connection.ts";
import { HEARTBEAT_MS, RedisStore } from "../server/state/redis-store.ts";
import { streamsAdapter } from "../server/state/streams-adapter.ts";
import {
  PROTOCOL_VERSION,
  type Reply,
  SURVIVOR_CLIENT_OPTIONS,
  SURVIVOR_NAMESPACE,
} from "../shared/protocol/index.ts";
import { cookieStaffDeps } from "./cookie-staff-deps.ts";
import { driveLoad, type LoadChat, openChats, socketTo } from "./load-driver.ts";
import type { BenchRow } from "./run.ts";

/**
 * Several relay nodes on Redis (docs/deploy.md), measured against one node on the same Redis in
 * the same run. Each node is a child process (its own CPU, process.cpuUsage) running the relay
 * with the Redis store and socket.io's Redis streams adapter under a random prefix on the shared
 * Redis (REDIS_URL, default redis://127.0.0.1:6379); clients run here.
 *
 * - Latency of a relayed frame, open loop at a fixed total rate with every frame acknowledged end
 *   to end: survivors and counselors on one node, then survivors on node A and counselors on node
 *   B (every frame and ack crosses the Redis stream). Target: cross-node p99 at most 1.5x one node.
 * - Server CPU per delivered frame, all nodes together, cluster vs one node.
 * - SIGKILL of the survivors' node: time until each sampled chat has a frame through each way
 *   again (the survivor reconnects to the other node after the clients' reconnection delay,
 *   resumes and resends; the counselor is told `peer` and resends). Target under 5 s.
 *
 * The brief's load is 2,000 sockets and 5,000 frames/s in total. The sockets are the default; the
 * rate is 2,000 frames/s, because a two-core machine cannot carry 5,000 beside two nodes, Redis
 * and the client: the bench prints the CPU per frame of every process and the cores the target
 * rate would take at that cost. CLUSTER_BENCH_SOCKETS and CLUSTER_BENCH_RATE change the load;
 * every row names what was measured next to the target. CLUSTER_BENCH=0 skips the module.
 */
const SOCKETS = Number(process.env.CLUSTER_BENCH_SOCKETS ?? 2000);
const RATE = Number(process.env.CLUSTER_BENCH_RATE ?? 2000);
const TARGET_SOCKETS = 2000;
const TARGET_RATE = 5000;
const LOAD_MS = Number(process.env.CLUSTER_BENCH_MS ?? 4000);
/** Counselor sockets; each carries many chats (the rate limit is lifted, as in relay.bench.ts). */
const COUNSELORS = 20;
const KILL_SAMPLE = 20;
/** Rounds of each layout, alternating; the least disturbed round of each counts. */
const ROUNDS = Number(process.env.CLUSTER_BENCH_ROUNDS ?? 2);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

type ToChild = { type: "cpu-start" } | { type: "cpu-stop" };
/** `commands`: Redis commands this node sent during the measured window, by name. */
type FromChild =
  | { type: "listening"; port: number }
  | { type: "cpu"; micros: number; commands: Record<string, number> };

// ---------------------------------------------------------------- node process

async function serve(prefix: string): Promise<void> {
  const logger = pino({ level: "error" }, pino.destination(2));
  const redis = await connectRedis(REDIS_URL, (name) => logger.error({ name }, "redis error"));
  // Counts every command this node sends: the store's, and the adapter's appends to the stream.
  let commands: Record<string, number> = {};
  const count = (name: string) => {
    commands[name] = (commands[name] ?? 0) + 1;
  };
  const client = redis.client as unknown as { xAdd: (...args: unknown[]) => Promise<unknown> };
  const xAdd = client.xAdd.bind(client);
  client.xAdd = (...args) => {
    count("XADD");
    return xAdd(...args);
  };
  const store = new RedisStore({
    redis: {
      send: (args) => {
        count(args[0] === "EVALSHA" ? `EVALSHA ${args[1]?.slice(0, 8)}` : (args[0] ?? ""));
        return redis.commands.send(args);
      },
    },
    prefix,
    nodeId: randomBytes(9).toString("base64url"),
    now: Date.now,
  });
  await store.heartbeat();
  setInterval(() => void store.heartbeat().catch(() => undefined), HEARTBEAT_MS).unref();
  const http = createServer();
  const ioServer = new Server(http, {
    ...relayServerOptions,
    adapter: streamsAdapter(redis.client, prefix),
  });
  attachRelay(
    ioServer,
    cookieStaffDeps({
      logger,
      // Shared by every node, as SAHARA_SECRET is.
      secret: new Uint8Array(Buffer.from(prefix.padEnd(32, "s"))),
      chatLimit: 100_000,
    }),
    {
      store,
      handOver: true,
      powDifficulty: 1,
      maxWaiting: 100_000,
      maxWaitingPerClient: 100_000,
      rateLimit: { burst: 1e9, perSecond: 1e9 },
    },
  );
  let cpu = process.cpuUsage();
  const profiler = process.env.CLUSTER_BENCH_PROF ? new inspector.Session() : null;
  profiler?.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      profiler?.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  process.on("SIGINT", () => process.exit(0));
  process.on("message", async (m: ToChild) => {
    if (m.type === "cpu-start") {
      if (profiler) {
        await post("Profiler.enable");
        await post("Profiler.start");
      }
      commands = {};
      cpu = process.cpuUsage();
    }
    const d = process.cpuUsage(cpu);
    if (m.type === "cpu-stop" && profiler) {
      // The measured window only (chat opening and start-up left out).
      const { profile } = (await post("Profiler.stop")) as { profile: unknown };
      const file = `${process.env.CLUSTER_BENCH_PROF}/node-${process.pid}-${Date.now()}.cpuprofile`;
      writeFileSync(file, JSON.stringify(profile));
    }
    process.send?.({
      type: "cpu",
      micros: m.type === "cpu-start" ? 0 : d.user + d.system,
      commands,
    } satisfies FromChild);
  });
  http.listen(0, "127.0.0.1", () =>
    process.send?.({ type: "listening", port: (http.address() as AddressInfo).port } satisfies FromChild),
  );
}

// ---------------------------------------------------------------- client side

type Usage = Readonly<{ micros: number; commands: Record<string, number> }>;
type Node = Readonly<{ url: string; child: ChildProcess; cpu: (m: ToChild) => Promise<Usage> }>;

async function startNode(prefix: string): Promise<Node> {
  const child = fork(fileURLToPath(import.meta.url), ["--cluster-bench-node", prefix], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: FromChild) =>
      m.type === "listening" ? resolve(m.port) : reject(new Error("bad start")),
    );
    child.once("error", reject);
  });
  const cpu = (m: ToChild) =>
    new Promise<Usage>((resolve) => {
      child.once("message", (r: FromChild) => resolve(r.type === "cpu" ? r : { micros: 0, commands: {} }));
      child.send(m);
    });
  return { url: `http://127.0.0.1:${port}`, child, cpu };
}

/** Redis's own CPU so far (user + system), in µs, from INFO. */
async function redisCpu(): Promise<number> {
  const redis = await connectRedis(REDIS_URL, () => {});
  try {
    const info = String(await redis.commands.send(["INFO", "cpu"]));
    const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? Number.NaN);
    return (field("used_cpu_user") + field("used_cpu_sys")) * 1e6;
  } finally {
    await redis.close();
  }
}

/**
 * Open loop at `RATE` frames/s in total through the shared load driver, CPU summed over `nodes`;
 * resolves with the Redis commands all nodes sent in the window too, and the CPU the driver (this
 * process: every client socket) and Redis used per delivered frame in the same window.
 */
async function load(nodes: readonly Node[], chats: LoadChat[]) {
  const commands: Record<string, number> = {};
  let driver = process.cpuUsage();
  let redis = 0;
  const result = await driveLoad(chats, {
    mode: { kind: "rate", perSecond: RATE },
    ms: LOAD_MS,
    cpu: {
      start: async () => {
        redis = await redisCpu();
        await Promise.all(nodes.map((n) => n.cpu({ type: "cpu-start" })));
        driver = process.cpuUsage();
      },
      stop: async () => {
        const used = process.cpuUsage(driver);
        driver = { user: used.user, system: used.system };
        const usage = await Promise.all(nodes.map((n) => n.cpu({ type: "cpu-stop" })));
        redis = (await redisCpu()) - redis;
        for (const u of usage)
          for (const [name, n] of Object.entries(u.commands)) commands[name] = (commands[name] ?? 0) + n;
        return usage.reduce((sum, u) => sum + u.micros, 0);
      },
    },
  });
  const perFrame = (micros: number) => micros / Math.max(1, result.frames);
  return {
    ...result,
    commands,
    driverPerFrame: perFrame(driver.user + driver.system),
    redisPerFrame: perFrame(redis),
  };
}

/**
 * SIGKILL of the node holding the sampled survivors: each reconnects to the other node after the
 * clients' reconnection delay, resumes and sends a frame; its counselor answers on `peer`.
 * Resolves with the time from the kill until both directions of each chat carried a frame.
 */
async function killAndResume(dead: Node, alive: Node, chats: LoadChat[]): Promise<number[]> {
  const sample = chats.slice(0, KILL_SAMPLE);
  const killedAt = performance.now();
  const done = sample.map(
    (chat) =>
      new Promise<number>((resolve, reject) => {
        const both = { s: false, c: false };
        const finish = () => {
          if (both.s && both.c) resolve(performance.now() - killedAt);
        };
        const onPeer = (p: { sessionId: string; connected: boolean }) => {
          if (p.sessionId !== chat.sessionId || !p.connected) return;
          chat.counselor.off("peer", onPeer);
          chat.counselor.emit("frame", {
            sessionId: chat.sessionId,
            epoch: 0,
            seq: chat.seq.c++,
            ciphertext: randomBytes(64),
          });
        };
        chat.counselor.on("peer", onPeer);
        const onCounselorFrame = (f: { sessionId: string }) => {
          if (f.sessionId !== chat.sessionId) return;
          both.s = true;
          finish();
        };
        chat.counselor.on("frame", onCounselorFrame);
        chat.survivor.once("disconnect", () => {
          setTimeout(() => {
            const again = socketTo(alive.url, SURVIVOR_NAMESPACE);
            again.on("frame", (f: { sessionId: string }) => {
              if (f.sessionId !== chat.sessionId) return;
              both.c = true;
              finish();
            });
            again.once("connect", async () => {
              const resumed: Reply<{ resumeToken: string }> = await again.emitWithAck("resume", {
                version: PROTOCOL_VERSION,
                sessionId: chat.sessionId,
                resumeToken: chat.resumeToken,
              });
              if (!resumed.ok) return reject(new Error(`resume: ${resumed.error}`));
              chat.survivor = again;
              again.emit("frame", {
                sessionId: chat.sessionId,
                epoch: 0,
                seq: chat.seq.s++,
                ciphertext: randomBytes(64),
              });
            });
          }, SURVIVOR_CLIENT_OPTIONS.reconnectionDelay);
        });
      }),
  );
  dead.child.kill("SIGKILL");
  const times = await Promise.race([
    Promise.all(done),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no resume within 30 s")), 30_000)),
  ]);
  return times.sort((a, b) => a - b);
}

type Measured = Awaited<ReturnType<typeof measureLayout>>;

async function dropPrefix(prefix: string): Promise<void> {
  const redis = await connectRedis(REDIS_URL, () => {});
  await new RedisStore({ redis: redis.commands, prefix, nodeId: "bench", now: Date.now }).clear();
  await redis.close();
}

async function measureLayout(kind: "single" | "cluster", chats: number, kill: boolean) {
  const prefix = `bench${randomBytes(4).toString("hex")}:`;
  const nodes =
    kind === "single" ? [await startNode(prefix)] : [await startNode(prefix), await startNode(prefix)];
  const [a, b] = [nodes[0] as Node, (nodes[1] ?? nodes[0]) as Node];
  const opened = await openChats(a.url, b.url, chats, COUNSELORS);
  try {
    const result = await load(nodes, opened.chats);
    const resumeMs = kind === "cluster" && kill ? await killAndResume(a, b, opened.chats) : [];
    return { ...result, resumeMs };
  } finally {
    for (const c of opened.chats) c.survivor.close();
    for (const s of opened.counselors) s.close();
    // SIGINT: a clean exit, so a CPU profile (CLUSTER_BENCH_PROF) is written.
    for (const n of nodes) n.child.kill("SIGINT");
    await dropPrefix(prefix);
  }
}

export async function run(): Promise<readonly BenchRow[]> {
  if (process.env.CLUSTER_BENCH === "0") return [];
  const chats = Math.max(KILL_SAMPLE, SOCKETS - COUNSELORS);
  // Alternating rounds, the least disturbed of each layout (lowest p99): this machine is shared,
  // and noise from other processes only ever adds latency, to whichever layout it hits.
  const singles: Measured[] = [];
  const clusters: Measured[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    singles.push(await measureLayout("single", chats, false));
    clusters.push(await measureLayout("cluster", chats, round === ROUNDS - 1));
  }
  const least = (rounds: Measured[]) => rounds.reduce((a, b) => (b.p99 < a.p99 ? b : a));
  const single = least(singles);
  const cluster = least(clusters);
  const resumeMs = clusters.at(-1)?.resumeMs ?? [];
  const at = `${chats + COUNSELORS} sockets, ${Math.round(cluster.offered)}/s offered (target ${TARGET_SOCKETS} sockets, ${TARGET_RATE}/s)`;
  const median = resumeMs[Math.floor(resumeMs.length / 2)] ?? Number.NaN;
  const worst = resumeMs.at(-1) ?? Number.NaN;
  for (const [name, rounds] of [
    ["one node", singles],
    ["two nodes", clusters],
  ] as const) {
    const each = rounds.map(
      (r) =>
        `${Math.round(r.delivered)}/s delivered, ${r.lost} not delivered, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`,
    );
    console.error(`cluster bench, ${name}: ${each.join(" | ")}`);
    const perFrame = (r: Measured) =>
      Object.entries(r.commands)
        .sort((x, y) => y[1] - x[1])
        .map(([command, n]) => `${command} ${(n / Math.max(1, r.frames)).toFixed(2)}`)
        .join(", ");
    console.error(`cluster bench, ${name}, Redis commands per frame: ${rounds.map(perFrame).join(" | ")}`);
  }
  const all = (r: Measured) => r.cpuPerFrame + r.redisPerFrame + r.driverPerFrame;
  for (const [name, r] of [
    ["one node", single],
    ["two nodes", cluster],
  ] as const) {
    console.error(
      `cluster bench, ${name}, CPU per frame: nodes ${r.cpuPerFrame.toFixed(0)} µs, Redis ${r.redisPerFrame.toFixed(0)} µs, load driver ${r.driverPerFrame.toFixed(0)} µs`,
    );
  }
  return [
    {
      name: `cluster: delivered frames/s, two nodes (${at})`,
      value: cluster.delivered,
      unit: "frames/s",
      baseline: single.delivered,
    },
    {
      name: `cluster: frame latency p50, two nodes (${at})`,
      value: cluster.p50,
      unit: "ms",
      baseline: single.p50,
    },
    {
      name: `cluster: frame latency p99, two nodes (${at})`,
      value: cluster.p99,
      unit: "ms",
      baseline: single.p99,
      target: single.p99 * 1.5,
    },
    {
      name: "cluster: server CPU per frame, all nodes",
      value: cluster.cpuPerFrame,
      unit: "µs/frame",
      baseline: single.cpuPerFrame,
    },
    {
      name: "cluster: CPU per frame, every process (nodes, Redis, load driver)",
      value: all(cluster),
      unit: "µs/frame",
      baseline: all(single),
    },
    {
      // What the brief's rate would take at the CPU per frame measured here: more than this
      // machine has is why the load above is smaller than the target (an estimate: per-frame
      // costs measured at a lower rate).
      name: `cluster: cores ${TARGET_RATE} frames/s would take, two nodes (this machine: ${availableParallelism()})`,
      value: (all(cluster) * TARGET_RATE) / 1e6,
      unit: "cores",
      baseline: (all(single) * TARGET_RATE) / 1e6,
    },
    {
      name: `cluster: SIGKILL to both sides resumed, median of ${KILL_SAMPLE} chats`,
      value: median,
      unit: "ms",
      target: 5000,
    },
    {
      name: `cluster: SIGKILL to both sides resumed, slowest of ${KILL_SAMPLE}`,
      value: worst,
      unit: "ms",
      target: 5000,
    },
  ];
}

if (process.argv[2] === "--cluster-bench-node") {
  void serve(process.argv[3] as string);
} else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  import("./run.ts")
    .then(async ({ formatRows }) => console.log(formatRows(await run())))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
