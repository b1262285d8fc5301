import { randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import { solve } from "../shared/pow/index.ts";
import {
  type Challenge,
  PROTOCOL_VERSION,
  type Queued,
  RELAY_PATH,
  type Reply,
  STAFF_NAMESPACE,
  SURVIVOR_NAMESPACE,
} from "../shared/protocol/index.ts";

/**
 * The socket load both relay benches drive (bench/relay.bench.ts, bench/cluster.bench.ts): open
 * chats on a relay, then send encrypted-size frames through them, every frame acknowledged end
 * to end by its receiver, and measure delivery, latency and the server's CPU per frame.
 *
 * Two ways to send: `ping-pong` (closed loop: each chat answers every frame it receives, so the
 * relay runs as fast as it can: capacity) and `rate` (open loop: a fixed total rate spread over
 * every chat, both directions in turn: latency at a given load).
 */

/** 1,041 bytes: the 1 KiB padding bucket plus secretstream overhead. */
export const FRAME_BYTES = 1041;

export type LoadChat = {
  survivor: Socket;
  /** May carry many chats (counselors hold several). */
  counselor: Socket;
  sessionId: string;
  resumeToken: string;
  seq: { s: number; c: number };
};

export type LoadMode = Readonly<{ kind: "ping-pong" } | { kind: "rate"; perSecond: number }>;

export type LoadResult = Readonly<{
  /** Frames sent per second (open loop: what was asked of the relay). */
  offered: number;
  /** Frames delivered per second. */
  delivered: number;
  /** Frames sent but not seen by their receiver by the end. */
  lost: number;
  p50: number;
  p99: number;
  /** Server CPU (all measured processes) per delivered frame, acks included, in µs. */
  cpuPerFrame: number;
  /** Frames the CPU figure is divided by. */
  frames: number;
}>;

/** Starts and stops the server side's CPU count; `stop` resolves to the microseconds used. */
export type CpuMeter = Readonly<{ start: () => Promise<void>; stop: () => Promise<number> }>;

export function socketTo(url: string, namespace: string, extra: Record<string, unknown> = {}): Socket {
  return io(`${url}${namespace}`, {
    path: RELAY_PATH,
    transports: ["websocket"],
    parser: msgpackParser,
    forceNew: true,
    reconnection: false,
    ...extra,
  });
}

export const connected = (socket: Socket) =>
  new Promise<Socket>((resolve, reject) => {
    if (socket.connected) return resolve(socket);
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });

/**
 * Opens `chats` chats through the relay's protocol: survivors join on `survivorUrl` (proof of
 * work at the bench server's difficulty), `counselors` staff sockets on `counselorUrl` (cookie
 * `sid=c<i>`, which the bench servers accept) take and accept them in turn.
 */
export async function openChats(
  survivorUrl: string,
  counselorUrl: string,
  chats: number,
  counselors: number,
): Promise<{ chats: LoadChat[]; counselors: Socket[] }> {
  const staff = await Promise.all(
    Array.from({ length: counselors }, async (_, i) => {
      const s = await connected(
        socketTo(counselorUrl, STAFF_NAMESPACE, { extraHeaders: { cookie: `sid=c${i}` } }),
      );
      const status: Reply = await s.emitWithAck("status", { status: "away" });
      if (!status.ok) throw new Error(status.error);
      return s;
    }),
  );
  const out: LoadChat[] = [];
  const open = async (i: number) => {
    const survivor = socketTo(survivorUrl, SURVIVOR_NAMESPACE);
    const challenge = await new Promise<Challenge>((r) => survivor.once("challenge", r));
    const nonce = await solve(challenge.challenge);
    if (!nonce.ok) throw new Error(nonce.error);
    const joined: Reply<Queued> = await survivor.emitWithAck("join", {
      version: PROTOCOL_VERSION,
      pow: { challenge: challenge.challenge, nonce: Buffer.from(nonce.value) },
      survivorKey: randomBytes(32),
      language: "en",
      partner: "bench",
    });
    if (!joined.ok) throw new Error(`join: ${joined.error}`);
    const counselor = staff[i % counselors] as Socket;
    const taken: Reply = await counselor.emitWithAck("take", { sessionId: joined.sessionId });
    if (!taken.ok) throw new Error(`take: ${taken.error}`);
    const accepted: Reply = await counselor.emitWithAck("accept", {
      sessionId: joined.sessionId,
      epoch: 0,
      handshake: randomBytes(400),
    });
    if (!accepted.ok) throw new Error(`accept: ${accepted.error}`);
    out.push({
      survivor,
      counselor,
      sessionId: joined.sessionId,
      resumeToken: joined.resumeToken,
      seq: { s: 0, c: 0 },
    });
  };
  // A few at a time: each take runs the relay's serial queue on its node.
  for (let i = 0; i < chats; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, chats - i) }, (_, k) => open(i + k)));
  }
  return { chats: out, counselors: staff };
}

type Side = "s" | "c";
type Wire = { sessionId: string; epoch: number; seq: number };

/**
 * Drives `chats` for `ms` and measures. Receivers acknowledge every frame (the relay routes the
 * ack back, so its cost is in the CPU figure); latency is send to receive, in this process.
 */
export async function driveLoad(
  chats: readonly LoadChat[],
  options: Readonly<{ mode: LoadMode; ms: number; cpu: CpuMeter; ciphertext?: Uint8Array | string }>,
): Promise<LoadResult> {
  const { mode, ms, cpu } = options;
  const ciphertext = options.ciphertext ?? randomBytes(FRAME_BYTES);
  const byId = new Map(chats.map((c) => [c.sessionId, c]));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  let sent = 0;
  let running = true;

  const send = (chat: LoadChat, side: Side) => {
    const seq = chat.seq[side]++;
    sentAt.set(`${chat.sessionId}${side}${seq}`, performance.now());
    (side === "s" ? chat.survivor : chat.counselor).emit("frame", {
      sessionId: chat.sessionId,
      epoch: 0,
      seq,
      ciphertext,
    });
    sent++;
  };
  // `side` receives: the frame came from the other side.
  const onFrame = (side: Side) => (f: Wire) => {
    const key = `${f.sessionId}${side === "s" ? "c" : "s"}${f.seq}`;
    const t = sentAt.get(key);
    if (t !== undefined) {
      latencies.push(performance.now() - t);
      sentAt.delete(key);
    }
    delivered++;
    const chat = byId.get(f.sessionId);
    if (!chat) return;
    (side === "s" ? chat.survivor : chat.counselor).emit("ack", {
      sessionId: f.sessionId,
      epoch: 0,
      seq: f.seq,
    });
    if (mode.kind === "ping-pong" && running) send(chat, side);
  };
  const listeners: [Socket, (f: Wire) => void][] = [
    ...chats.map((c) => [c.survivor, onFrame("s")] as [Socket, (f: Wire) => void]),
    ...[...new Set(chats.map((c) => c.counselor))].map(
      (s) => [s, onFrame("c")] as [Socket, (f: Wire) => void],
    ),
  ];
  for (const [socket, listener] of listeners) socket.on("frame", listener);

  await cpu.start();
  const started = performance.now();
  if (mode.kind === "ping-pong") {
    for (const chat of chats) send(chat, "s");
    await new Promise((r) => setTimeout(r, ms));
  } else {
    let next = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.floor(((performance.now() - started) * mode.perSecond) / 1000) - sent;
        for (let k = 0; k < due; k++) {
          const chat = chats[next % chats.length] as LoadChat;
          send(chat, Math.floor(next / chats.length) % 2 === 0 ? "s" : "c");
          next++;
        }
        if (performance.now() - started >= ms) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
  }
  const sentInWindow = sent;
  const deliveredInWindow = delivered;
  const elapsed = performance.now() - started;
  running = false;
  // Open loop: let the last frames arrive before the CPU count stops (they were offered).
  if (mode.kind === "rate") await new Promise((r) => setTimeout(r, 500));
  const micros = await cpu.stop();
  const frames = mode.kind === "rate" ? delivered : deliveredInWindow;
  await new Promise((r) => setTimeout(r, 100));
  for (const [socket, listener] of listeners) socket.off("frame", listener);

  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
  return {
    offered: (sentInWindow / ms) * 1000,
    delivered: (deliveredInWindow / elapsed) * 1000,
    lost: mode.kind === "rate" ? sent - latencies.length : 0,
    p50: pct(0.5),
    p99: pct(0.99),
    cpuPerFrame: micros / Math.max(1, frames),
    frames,
  };
}
