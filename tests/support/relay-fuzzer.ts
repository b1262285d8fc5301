import { request as httpRequest } from "node:http";
import { WebSocket } from "ws";
import { RELAY_PATH, STAFF_NAMESPACE, SURVIVOR_NAMESPACE } from "../../shared/protocol/index.ts";
import { encodePacket } from "./raw-relay.ts";

/**
 * A raw packet fuzzer for the relay: random and mutated socket.io / engine.io / msgpack packets
 * on both namespaces, over raw WebSocket and long-polling, while /healthz is probed every 25 ms.
 * Used by tests/adversarial/raw-fuzz.test.ts (bounded, seconds) and `npm run fuzz` (long).
 */
export type FuzzTarget = Readonly<{
  port: number;
  staffCookie: string;
  origin: string;
  /** The server's resident memory in MiB. */
  rssMb: () => number;
}>;

/** The target: /healthz answers within this throughout a fuzz run. */
export const HEALTHZ_TARGET_MS = 100;

export type FuzzReport = {
  inputs: number;
  webSocketInputs: number;
  pollingInputs: number;
  connectionsOpened: number;
  healthzProbes: number;
  worstHealthzMs: number;
  /** Median /healthz latency over the run. */
  p50HealthzMs: number;
  /** 99th percentile of /healthz latency over the run. */
  p99HealthzMs: number;
  /** Probes slower than HEALTHZ_TARGET_MS. */
  healthzOverTarget: number;
  failedHealthz: number;
  rssStartMb: number;
  rssPeakMb: number;
};

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, pick, bytes };
}
type Rng = ReturnType<typeof rng>;

const SESSION = "A".repeat(22);
const survivorEvents = (r: Rng): unknown[] => [
  [
    "join",
    {
      version: 1,
      pow: { challenge: "v1.4.1.x.y", nonce: r.bytes(8) },
      survivorKey: r.bytes(32),
      language: "en",
      partner: "demo",
    },
  ],
  ["resume", { version: 1, sessionId: SESSION, resumeToken: "B".repeat(43) }],
  ["frame", { sessionId: SESSION, epoch: 0, seq: r.int(10), ciphertext: r.bytes(r.int(300)) }],
  ["ack", { sessionId: SESSION, epoch: 0, seq: 1 }],
  ["leave", { sessionId: SESSION, reason: "ended" }],
  ["waiting", { sessionId: SESSION }],
  ["transfer-key", { sessionId: SESSION, survivorKey: r.bytes(32) }],
  ["nonsense", r.bytes(5)],
];
const staffEvents = (r: Rng): unknown[] => [
  ["status", { status: r.pick(["available", "away", "break"]) }],
  ["take", {}],
  ["accept", { sessionId: SESSION, epoch: 0, handshake: r.bytes(64) }],
  ["transfer", { sessionId: SESSION, to: "x" }],
  ["frame", { sessionId: SESSION, epoch: 0, seq: 0, ciphertext: r.bytes(20) }],
  ["ack", { sessionId: SESSION, epoch: 0, seq: 0 }],
  ["leave", { sessionId: SESSION, reason: "ended" }],
  ["clear-silent", {}],
];
const LIES = [0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf];

function validPacket(r: Rng, nsp: string): Buffer {
  const events = nsp === STAFF_NAMESPACE ? staffEvents(r) : survivorEvents(r);
  switch (r.int(6)) {
    case 0:
      return encodePacket({ type: 0, nsp });
    case 1:
      return encodePacket({ type: r.int(5), nsp, data: r.pick([undefined, [], "x", {}]) });
    default:
      return encodePacket({
        type: 2,
        nsp,
        data: r.pick(events) as unknown[],
        ...(r.int(2) ? { id: r.int(1000) } : {}),
      });
  }
}

function mutate(r: Rng, packet: Buffer): Buffer {
  const out = Buffer.from(packet);
  switch (r.int(5)) {
    case 0:
      for (let i = r.int(4) + 1; i > 0; i--) if (out.length) out[r.int(out.length)] = r.int(256);
      return out;
    case 1:
      return out.subarray(0, r.int(out.length + 1));
    case 2: {
      // A length header claiming far more than the message holds, spliced in anywhere.
      const at = r.int(out.length + 1);
      const lie = Buffer.from([r.pick(LIES), 0xff, 0xff, 0xff, 0xff, 0]);
      return Buffer.concat([out.subarray(0, at), lie, out.subarray(at)]);
    }
    case 3:
      return Buffer.concat([out, r.bytes(r.int(16))]);
    default: {
      const at = r.int(out.length + 1);
      return Buffer.concat([out.subarray(0, at), out.subarray(r.int(out.length + 1))]);
    }
  }
}

function input(r: Rng, nsp: string): Buffer | string {
  switch (r.int(10)) {
    case 0:
      return r.bytes(r.int(64));
    case 1:
      return r.pick([
        "2",
        "3",
        "5",
        "6",
        "4",
        "40",
        "41",
        "2probe",
        `4${r.bytes(8).toString("latin1")}`,
        "1",
        "",
      ]);
    case 2:
    case 3:
      return validPacket(r, nsp);
    default:
      return mutate(r, validPacket(r, nsp));
  }
}

function get(port: number, path: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: "127.0.0.1", port, path }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.setTimeout(timeoutMs, () => req.destroy());
    req.end();
  });
}

function post(port: number, path: string, body: string): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "text/plain" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve());
      },
    );
    req.on("error", () => resolve());
    req.setTimeout(5000, () => req.destroy());
    req.end(body);
  });
}

type Conn = { ws: WebSocket; open: boolean };

export async function fuzzRelay(
  target: FuzzTarget,
  options: Readonly<{
    seed: number;
    inputs: number;
    lanes?: number;
    onProgress?: (report: FuzzReport) => void;
  }>,
): Promise<FuzzReport> {
  const r = rng(options.seed);
  const mb = target.rssMb;
  const report: FuzzReport = {
    inputs: 0,
    webSocketInputs: 0,
    pollingInputs: 0,
    connectionsOpened: 0,
    healthzProbes: 0,
    worstHealthzMs: 0,
    p50HealthzMs: 0,
    p99HealthzMs: 0,
    healthzOverTarget: 0,
    failedHealthz: 0,
    rssStartMb: mb(),
    rssPeakMb: mb(),
  };
  let probing = true;
  const latencies: number[] = [];
  const probe = (async () => {
    while (probing) {
      const t = performance.now();
      const status = await get(target.port, "/healthz", 1000);
      report.healthzProbes++;
      const ms = performance.now() - t;
      latencies.push(ms);
      if (process.env.FUZZ_DEBUG && ms > 100)
        console.log(`slow healthz ${ms.toFixed(0)} ms at input ${report.inputs}`);
      report.worstHealthzMs = Math.max(report.worstHealthzMs, ms);
      if (ms > HEALTHZ_TARGET_MS) report.healthzOverTarget++;
      if (status !== 200) report.failedHealthz++;
      report.rssPeakMb = Math.max(report.rssPeakMb, mb());
      await new Promise((res) => setTimeout(res, 25));
    }
  })();

  const open = (nsp: string): Promise<Conn> =>
    new Promise((resolve) => {
      const headers: Record<string, string> =
        nsp === STAFF_NAMESPACE ? { cookie: target.staffCookie, origin: target.origin } : {};
      const ws = new WebSocket(`ws://127.0.0.1:${target.port}${RELAY_PATH}?EIO=4&transport=websocket`, {
        headers,
      });
      const conn: Conn = { ws, open: false };
      report.connectionsOpened++;
      const done = () => resolve(conn);
      ws.on("message", (data, binary) => {
        if (!binary && String(data).startsWith("0") && !conn.open) {
          conn.open = true;
          ws.send(encodePacket({ type: 0, nsp }));
          done();
        } else if (!binary && String(data) === "2") ws.send("3");
      });
      ws.on("close", () => {
        conn.open = false;
        done();
      });
      ws.on("error", () => done());
    });

  // Most bad inputs close their connection, so the time goes into handshakes: run several
  // connections at once, each sending until the relay closes it.
  const lane = async (nsp: string) => {
    while (report.inputs < options.inputs) {
      if (r.int(50) === 0) {
        await pollingRound(nsp);
        continue;
      }
      const conn = await open(nsp);
      while (conn.open && conn.ws.readyState === WebSocket.OPEN && report.inputs < options.inputs) {
        conn.ws.send(input(r, nsp));
        report.inputs++;
        report.webSocketInputs++;
        if (report.inputs % 10_000 === 0) options.onProgress?.({ ...report });
        // Let the relay work through what was sent instead of buffering without bound.
        await new Promise((res) => setTimeout(res, conn.ws.bufferedAmount > 64 * 1024 ? 5 : 0));
      }
      conn.ws.terminate();
    }
  };

  const pollingRound = async (nsp: string) => {
    // Long-polling: a handshake, then a POST of several records (text and `b<base64>`).
    const sid = await new Promise<string | null>((resolve) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: target.port, path: `${RELAY_PATH}?EIO=4&transport=polling` },
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => {
            body += c.toString();
          });
          res.on("end", () => {
            try {
              resolve((JSON.parse(body.slice(1)) as { sid: string }).sid);
            } catch {
              resolve(null);
            }
          });
        },
      );
      req.on("error", () => resolve(null));
      req.end();
    });
    if (!sid) return;
    const records = Array.from({ length: r.int(4) + 1 }, () => {
      const x = input(r, nsp);
      return typeof x === "string" ? x : `b${x.toString("base64")}`;
    });
    const connect = `b${encodePacket({ type: 0, nsp }).toString("base64")}`;
    await post(
      target.port,
      `${RELAY_PATH}?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`,
      [connect, ...records].join("\x1e"),
    );
    report.inputs += records.length;
    report.pollingInputs += records.length;
  };

  try {
    const lanes = options.lanes ?? 8;
    await Promise.all(
      Array.from({ length: lanes }, (_, i) => lane(i % 2 === 0 ? SURVIVOR_NAMESPACE : STAFF_NAMESPACE)),
    );
  } finally {
    probing = false;
    await probe;
    latencies.sort((a, b) => a - b);
    report.p50HealthzMs = latencies[Math.floor(latencies.length * 0.5)] ?? 0;
    report.p99HealthzMs = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  }
  return report;
}

/** The latency figure both fuzz runs print, next to its target. */
export function healthzSummary(report: FuzzReport): string {
  return (
    `healthz latency: median ${report.p50HealthzMs.toFixed(0)} ms, p99 ${report.p99HealthzMs.toFixed(0)} ms, max ${report.worstHealthzMs.toFixed(0)} ms ` +
    `(target ${HEALTHZ_TARGET_MS} ms); ${report.healthzOverTarget} of ${report.healthzProbes} probes over it, ` +
    `${report.failedHealthz} failed`
  );
}
