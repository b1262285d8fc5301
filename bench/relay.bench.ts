import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Server } from "socket.io";
import type { Socket } from "socket.io-client";
import * as defaultParser from "socket.io-parser";
import * as msgpackParser from "socket.io-msgpack-parser";
import { attachRelay, relayServerOptions } from "../server/relay/index.ts";
import { cookieStaffDeps } from "./cookie-staff-deps.ts";
import { STAFF_NAMESPACE, SURVIVOR_NAMESPACE } from "../shared/protocol/index.ts";
import { connected, driveLoad, FRAME_BYTES, type LoadChat, openChats, socketTo } from "./load-driver.ts";
import type { BenchRow } from "./run.ts";

/**
 * Relay benchmark. The server under test runs in a child process so only its own CPU is counted
 * (process.cpuUsage there); clients run here. Compared in the same run against a minimal
 * socket.io relay that forwards room messages with no checks, with the same parser.
 *
 * - N concurrent chats ping-pong encrypted-size frames (1,041 bytes: the 1 KiB padding bucket plus
 *   secretstream overhead), each frame acknowledged end to end: delivered frames/s, p50/p99
 *   latency, server CPU per delivered frame (acks included in the cost).
 * - The same load through the baseline with the default parser (binary attachment; base64 text)
 *   for the transport decision in PROTOCOL.md.
 * - Memory per idle survivor connection: RSS growth of a fresh server process for K idle
 *   survivor sockets, relay vs bare socket.io.
 */
const CHATS = 40;
const LOAD_MS = 2000;
/** Rounds of relay and baseline side by side; the best (least disturbed) round of each counts. */
const ROUNDS = 2;
/** Idle survivor sockets for the memory figure (target: under 20 KB of RSS each at 10,000). */
const IDLE_CONNECTIONS = Number(process.env.RELAY_BENCH_IDLE ?? 10_000);

type Kind = "relay" | "baseline-msgpack" | "baseline-default" | "baseline-default-base64";
type ToChild = { type: "cpu-start" } | { type: "cpu-stop" } | { type: "memory" };
type FromChild =
  | { type: "listening"; port: number }
  | { type: "cpu"; micros: number }
  | { type: "memory"; rss: number; heap: number };

// ---------------------------------------------------------------- server process

async function serve(kind: Kind): Promise<void> {
  const http = createServer();
  const parser =
    kind === "baseline-default" || kind === "baseline-default-base64" ? defaultParser : msgpackParser;
  // The relay runs exactly as in production (its own strict decoder, its buffer cap); the
  // baselines are bare socket.io with the library parsers.
  const ioServer = new Server(
    http,
    kind === "relay" ? relayServerOptions : { ...relayServerOptions, parser, maxHttpBufferSize: 64 * 1024 },
  );
  if (kind === "relay") {
    attachRelay(
      ioServer,
      cookieStaffDeps({
        logger: pino({ level: "info" }, pino.destination("/dev/null")),
        secret: new Uint8Array(randomBytes(32)),
        chatLimit: 1,
      }),
      {
        powDifficulty: 1,
        maxWaiting: 100_000,
        // Every bench client comes from 127.0.0.1, and chats are opened 20 at a time.
        maxWaitingPerClient: 100_000,
        rateLimit: { burst: 1e9, perSecond: 1e9 },
      },
    );
  } else {
    // Survivors and counselors live in different namespaces, as in the relay: forward across.
    const peers = { [SURVIVOR_NAMESPACE]: STAFF_NAMESPACE, [STAFF_NAMESPACE]: SURVIVOR_NAMESPACE };
    for (const [name, other] of Object.entries(peers)) {
      const target = ioServer.of(other);
      ioServer.of(name).on("connection", (socket) => {
        const room = String(socket.handshake.query.room ?? "");
        if (room) void socket.join(room);
        socket.on("frame", (f: unknown) => {
          target.to(room).emit("frame", f);
        });
        socket.on("ack", (a: unknown) => {
          target.to(room).emit("ack", a);
        });
      });
    }
  }
  let cpu = process.cpuUsage();
  process.on("SIGINT", () => process.exit(0));
  process.on("message", (m: ToChild) => {
    if (m.type === "cpu-start") {
      cpu = process.cpuUsage();
      process.send?.({ type: "cpu", micros: 0 } satisfies FromChild);
    }
    if (m.type === "cpu-stop") {
      const d = process.cpuUsage(cpu);
      process.send?.({ type: "cpu", micros: d.user + d.system } satisfies FromChild);
    }
    if (m.type === "memory") {
      for (let i = 0; i < 3; i++) globalThis.gc?.();
      const u = process.memoryUsage();
      process.send?.({ type: "memory", rss: u.rss, heap: u.heapUsed + u.external } satisfies FromChild);
    }
  });
  http.listen(0, "127.0.0.1", () =>
    process.send?.({ type: "listening", port: (http.address() as AddressInfo).port } satisfies FromChild),
  );
}

// ---------------------------------------------------------------- client side

type Child = Readonly<{
  port: number;
  ask: <T extends FromChild["type"]>(m: ToChild, want: T) => Promise<Extract<FromChild, { type: T }>>;
  stop: () => void;
}>;

async function startServer(kind: Kind): Promise<Child> {
  const child = fork(fileURLToPath(import.meta.url), ["--relay-bench-server", kind], {
    execArgv: [
      "--import",
      "tsx",
      "--expose-gc",
      ...(process.env.RELAY_BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: FromChild) =>
      m.type === "listening" ? resolve(m.port) : reject(new Error("bad start")),
    );
    child.once("error", reject);
  });
  const ask = <T extends FromChild["type"]>(m: ToChild, want: T) =>
    new Promise<Extract<FromChild, { type: T }>>((resolve) => {
      const on = (r: FromChild) => {
        if (r.type !== want) return;
        child.off("message", on);
        resolve(r as Extract<FromChild, { type: T }>);
      };
      child.on("message", on);
      child.send(m);
    });
  return { port, ask, stop: () => child.kill("SIGINT") };
}

/** The baseline forwards within a room named by the query: one room per chat, no protocol. */
async function baselineChats(port: number, n: number, kind: Kind): Promise<LoadChat[]> {
  const url = `http://127.0.0.1:${port}`;
  const parser = kind === "baseline-msgpack" ? { parser: msgpackParser } : { parser: defaultParser };
  const chats: LoadChat[] = [];
  for (let i = 0; i < n; i++) {
    const query = { room: `r${i}` };
    const survivor = await connected(socketTo(url, SURVIVOR_NAMESPACE, { ...parser, query }));
    const counselor = await connected(socketTo(url, STAFF_NAMESPACE, { ...parser, query }));
    chats.push({
      survivor,
      counselor,
      sessionId: `r${i}`.padEnd(22, "A"),
      resumeToken: "",
      seq: { s: 0, c: 0 },
    });
  }
  return chats;
}

const meter = (child: Child) => ({
  start: async () => {
    await child.ask({ type: "cpu-start" }, "cpu");
  },
  stop: async () => (await child.ask({ type: "cpu-stop" }, "cpu")).micros,
});

/** Closed-loop ping-pong through one server (the shared load driver), as fast as it goes. */
async function load(chats: LoadChat[], child: Child, base64: boolean) {
  const payload = randomBytes(FRAME_BYTES);
  await new Promise((r) => setTimeout(r, 200));
  const result = await driveLoad(chats, {
    mode: { kind: "ping-pong" },
    ms: LOAD_MS,
    cpu: meter(child),
    ciphertext: base64 ? payload.toString("base64") : payload,
  });
  return { perSecond: result.delivered, p50: result.p50, p99: result.p99, cpuPerFrame: result.cpuPerFrame };
}

/** Sets up every kind's server and chats first, then loads them together (call with one kind for a clean measurement). */
async function throughput(...kinds: Kind[]) {
  const children = await Promise.all(kinds.map((kind) => startServer(kind)));
  try {
    const pairs = await Promise.all(
      kinds.map((kind, i) =>
        kind === "relay"
          ? openChats(
              `http://127.0.0.1:${children[i]!.port}`,
              `http://127.0.0.1:${children[i]!.port}`,
              CHATS,
              CHATS,
            ).then((o) => o.chats)
          : baselineChats(children[i]!.port, CHATS, kind),
      ),
    );
    const results = await Promise.all(
      kinds.map((kind, i) => load(pairs[i]!, children[i]!, kind === "baseline-default-base64")),
    );
    for (const p of pairs.flat()) {
      p.survivor.close();
      p.counselor.close();
    }
    return results;
  } finally {
    for (const c of children) c.stop();
  }
}

/** RSS and heap growth per idle survivor socket (connected, challenge received, nothing else). */
async function idleMemory(kind: Kind, count: number): Promise<{ rss: number; heap: number }> {
  const child = await startServer(kind);
  const sockets: Socket[] = [];
  try {
    const base = `http://127.0.0.1:${child.port}`;
    // Warm up the server's code paths so their one-off allocations do not count.
    for (let i = 0; i < 50; i++)
      sockets.push(await connected(socketTo(base, SURVIVOR_NAMESPACE, { query: { room: "x" } })));
    const before = await child.ask({ type: "memory" }, "memory");
    const batch = 250;
    for (let i = 0; i < count; i += batch) {
      const made = await Promise.all(
        Array.from({ length: Math.min(batch, count - i) }, () =>
          connected(socketTo(base, SURVIVOR_NAMESPACE, { query: { room: "x" } })),
        ),
      );
      sockets.push(...made);
    }
    await new Promise((r) => setTimeout(r, 500));
    const after = await child.ask({ type: "memory" }, "memory");
    return { rss: (after.rss - before.rss) / count / 1024, heap: (after.heap - before.heap) / count / 1024 };
  } finally {
    for (const s of sockets) s.close();
    child.stop();
  }
}

/** Bytes on the wire for one frame event, and how many WebSocket messages carry it. */
function wireSize(kind: "msgpack" | "default-binary" | "default-base64") {
  const ciphertext = randomBytes(FRAME_BYTES);
  const data = [
    "frame",
    {
      sessionId: "A".repeat(22),
      epoch: 0,
      seq: 12345,
      ciphertext: kind === "default-base64" ? ciphertext.toString("base64") : ciphertext,
    },
  ];
  const packet = { type: 2, nsp: SURVIVOR_NAMESPACE, data };
  const encoded: (string | Uint8Array)[] =
    kind === "msgpack"
      ? (new msgpackParser.Encoder().encode(packet) as unknown as Uint8Array[])
      : new defaultParser.Encoder().encode(packet);
  const bytes = encoded.reduce(
    (n, p) => n + (typeof p === "string" ? Buffer.byteLength(p) : p.byteLength),
    0,
  );
  return { bytes, messages: encoded.length };
}

type Throughput = Awaited<ReturnType<typeof load>>;

/** The least disturbed of several rounds: this machine is shared, so noise only ever adds. */
function best(results: Throughput[]): Throughput {
  return results.reduce((a, b) => (b.cpuPerFrame < a.cpuPerFrame ? b : a));
}

export async function run(): Promise<readonly BenchRow[]> {
  const bases: Throughput[] = [];
  const relays: Throughput[] = [];
  // Alternating rounds, best of each: this machine is shared, and running both at once makes the
  // one client process the bottleneck, so per-frame server CPU would measure idle overhead.
  for (let round = 0; round < ROUNDS; round++) {
    const [b] = await throughput("baseline-msgpack");
    const [r] = await throughput("relay");
    if (!b || !r) throw new Error("missing result");
    bases.push(b);
    relays.push(r);
  }
  const base = best(bases);
  const relay = best(relays);
  const [msgpackRef] = await throughput("baseline-msgpack");
  const [defaultBinary] = await throughput("baseline-default");
  const [defaultBase64] = await throughput("baseline-default-base64");
  if (!msgpackRef || !defaultBinary || !defaultBase64) throw new Error("missing result");
  const memBase = await idleMemory("baseline-msgpack", IDLE_CONNECTIONS);
  const memRelay = await idleMemory("relay", IDLE_CONNECTIONS);
  const w = {
    msgpack: wireSize("msgpack"),
    bin: wireSize("default-binary"),
    b64: wireSize("default-base64"),
  };
  const rows: BenchRow[] = [
    {
      name: `relay: delivered frames/s (${CHATS} chats)`,
      value: relay.perSecond,
      unit: "frames/s",
      baseline: base.perSecond,
    },
    { name: "relay: latency p50", value: relay.p50, unit: "ms", baseline: base.p50 },
    { name: "relay: latency p99", value: relay.p99, unit: "ms", baseline: base.p99 },
    {
      name: "relay: server CPU per frame",
      value: relay.cpuPerFrame,
      unit: "µs/frame",
      baseline: base.cpuPerFrame,
      target: base.cpuPerFrame * 1.3,
    },
    {
      name: `relay: RSS per idle survivor (${IDLE_CONNECTIONS})`,
      value: memRelay.rss,
      unit: "KB/conn",
      baseline: memBase.rss,
      target: 20,
    },
    {
      name: `relay: heap per idle survivor (${IDLE_CONNECTIONS})`,
      value: memRelay.heap,
      unit: "KB/conn",
      baseline: memBase.heap,
    },
    {
      name: "transport: CPU/frame default parser, binary",
      value: defaultBinary.cpuPerFrame,
      unit: "µs/frame",
      baseline: msgpackRef.cpuPerFrame,
    },
    {
      name: "transport: CPU/frame default parser, base64",
      value: defaultBase64.cpuPerFrame,
      unit: "µs/frame",
      baseline: msgpackRef.cpuPerFrame,
    },
    {
      name: "transport: frames/s default parser, binary",
      value: defaultBinary.perSecond,
      unit: "frames/s",
      baseline: msgpackRef.perSecond,
    },
    {
      name: "transport: frames/s default parser, base64",
      value: defaultBase64.perSecond,
      unit: "frames/s",
      baseline: msgpackRef.perSecond,
    },
    {
      name: `transport: wire bytes msgpack (${w.msgpack.messages} ws msg)`,
      value: w.msgpack.bytes,
      unit: "bytes",
    },
    {
      name: `transport: wire bytes default+binary (${w.bin.messages} ws msg)`,
      value: w.bin.bytes,
      unit: "bytes",
      baseline: w.msgpack.bytes,
    },
    {
      name: `transport: wire bytes default+base64 (${w.b64.messages} ws msg)`,
      value: w.b64.bytes,
      unit: "bytes",
      baseline: w.msgpack.bytes,
    },
  ];
  return rows;
}

if (process.argv[2] === "--relay-bench-server") {
  void serve(process.argv[3] as Kind);
} else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Standalone: `node --import tsx bench/relay.bench.ts` (no top-level await: see bench/run.ts).
  import("./run.ts")
    .then(async ({ formatRows }) => console.log(formatRows(await run())))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
