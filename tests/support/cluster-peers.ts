import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import {
  type Challenge,
  PROTOCOL_VERSION,
  STAFF_CLIENT_OPTIONS,
  STAFF_NAMESPACE,
  SURVIVOR_CLIENT_OPTIONS,
  SURVIVOR_NAMESPACE,
} from "../../shared/protocol/index.ts";
import { FramePacer } from "../../shared/protocol/pacer.ts";
import { TEST_ORIGIN } from "./http-server.ts";
import { proof } from "./relay-clients.ts";

/**
 * Protocol peers for the cluster suite: they reconnect like the widget and console (socket.io
 * reconnection through the balancer), resume, and keep every frame until the peer's end-to-end
 * ack, resending all unacknowledged frames after their own reconnection and after
 * `peer { connected: true }` (PROTOCOL.md, Frames). Like the clients, every frame leaves through
 * the shared pacer (shared/protocol/pacer.ts): at the relay's pace, only while connected (and
 * resumed), and after `rate-limited` once a back-off has passed, with every unacknowledged frame
 * after it. Receiving keeps the channel's rule: only `seq = next` is taken, a duplicate is
 * dropped and acknowledged again, a gap is dropped.
 *
 * Texts are sealed with AES-256-GCM under a key only the two peers hold, standing in for the
 * secretstream channel: the relay and Redis see ciphertext, and a canary in the text must never
 * appear in Redis.
 */
type Raw = Socket;
type Reply = { ok: true; [k: string]: unknown } | { ok: false; error: string };

const seal = (key: Buffer, text: string) => {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([c.update(text, "utf8"), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
};
const open = (key: Buffer, bytes: Uint8Array) => {
  const b = Buffer.from(bytes);
  const d = createDecipheriv("aes-256-gcm", key, b.subarray(0, 12));
  d.setAuthTag(b.subarray(12, 28));
  return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString("utf8");
};

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await wait(25);
  }
}

function emitAck(socket: Raw, event: string, payload: unknown): Promise<Reply> {
  return socket
    .timeout(4000)
    .emitWithAck(event, payload)
    .catch(() => ({ ok: false, error: "timeout" }) as Reply);
}

/** One side of one chat: ordered, exactly-once delivery over reconnections. */
class Stream {
  next = 0;
  received: string[] = [];
  readonly unacked = new Map<number, Buffer>();
  sent = 0;
  readonly key: Buffer;
  constructor(key: Buffer) {
    this.key = key;
  }
}

abstract class Peer {
  readonly socket: Raw;
  sessionId = "";
  epoch = 0;
  stream: Stream;
  reconnects = 0;
  readonly events: string[] = [];
  /** False from a disconnect until this side may send again (survivors: resumed). */
  protected online = false;
  readonly pacer = new FramePacer({ canSend: () => this.online && this.socket.connected });

  constructor(url: string, namespace: string, options: Record<string, unknown>, key: Buffer) {
    this.stream = new Stream(key);
    this.socket = io(`${url}${namespace}`, {
      ...options,
      transports: ["websocket"],
      parser: msgpackParser,
      forceNew: true,
      reconnection: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      randomizationFactor: 0,
    });
    this.socket.on(
      "frame",
      (f: { sessionId: string; epoch: number; seq: number; ciphertext: Uint8Array }) => {
        if (f.sessionId !== this.sessionId || f.epoch !== this.epoch) return;
        const s = this.stream;
        if (f.seq === s.next) {
          s.received.push(open(s.key, f.ciphertext));
          s.next++;
        }
        // Taken, duplicate or gap: acknowledge what is complete so far (coalesced, as acks have a
        // bucket of their own on the relay, but a bounded one).
        this.#ackSoon();
      },
    );
    this.socket.on("ack", (a: { sessionId: string; seq: number }) => {
      if (a.sessionId !== this.sessionId) return;
      for (const seq of this.stream.unacked.keys()) if (seq <= a.seq) this.stream.unacked.delete(seq);
    });
    // This chat's notices only: a staff room hears every chat of that counselor, and the end of
    // an earlier scenario's chat of the same counselor can reach a peer that has just connected.
    this.socket.on("peer", (p: { sessionId: string; connected: boolean }) => {
      if (p.sessionId !== this.sessionId) return;
      this.events.push(`peer:${p.connected}`);
      if (p.connected) this.resend();
    });
    this.socket.on("ended", (e: { sessionId: string; reason: string }) => {
      if (e.sessionId === this.sessionId) this.events.push(`ended:${e.reason}`);
    });
    this.socket.on("connect", () => this.pacer.reset());
    this.socket.on("disconnect", (reason: string) => {
      this.online = false;
      this.events.push(`disconnect:${reason}`);
    });
  }

  #ackTimer: ReturnType<typeof setTimeout> | null = null;
  #ackSoon(): void {
    if (this.#ackTimer) return;
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = null;
      const s = this.stream;
      if (s.next > 0)
        this.socket.emit("ack", { sessionId: this.sessionId, epoch: this.epoch, seq: s.next - 1 });
    }, 200);
  }

  send(text: string): void {
    const s = this.stream;
    const seq = s.sent++;
    const ciphertext = seal(s.key, text);
    s.unacked.set(seq, ciphertext);
    this.emitFrame(seq, ciphertext);
  }

  protected emitFrame(seq: number, ciphertext: Buffer): void {
    // A refusal (peer-offline) or a lost reply leaves it in `unacked` for a resend.
    const stream = this.stream;
    const { sessionId, epoch } = this;
    this.pacer.send(
      `${epoch}:${seq}`,
      () => {
        if (this.stream !== stream || !stream.unacked.has(seq)) return false;
        void emitAck(this.socket, "frame", { sessionId, epoch, seq, ciphertext }).then((reply) => {
          if (reply.ok || reply.error !== "rate-limited") return;
          this.rateLimited++;
          this.pacer.refused();
          if (this.stream === stream) this.resend();
        });
        return true;
      },
      seq,
    );
  }

  rateLimited = 0;

  /**
   * Where this peer's next connection asks HAProxy to go (tests/support/cluster.ts): socket.io
   * builds each reconnection's transport from the manager's options, so a reconnection after a
   * node dies lands on `node` (while it is up) instead of wherever the balancer sends it.
   */
  preferNode(node: string): void {
    const opts = this.socket.io.opts as { extraHeaders?: Record<string, string> };
    opts.extraHeaders = { ...opts.extraHeaders, "x-cluster-node": node };
  }

  /** `peer { connected: true }` notices received since event index `from`. */
  peerConnectedSince(from: number): number {
    return this.events.slice(from).filter((e) => e === "peer:true").length;
  }

  resend(): void {
    for (const [seq, ciphertext] of [...this.stream.unacked].sort((a, b) => a[0] - b[0]))
      this.emitFrame(seq, ciphertext);
  }

  close(): void {
    this.pacer.close();
    if (this.#ackTimer) clearTimeout(this.#ackTimer);
    this.socket.io.reconnection(false);
    this.socket.disconnect();
  }
}

export class SurvivorPeer extends Peer {
  resumeToken = "";
  /** When the last resume succeeded (for the SIGKILL-to-resumed figure). */
  resumedAt = 0;

  constructor(url: string, key: Buffer, node?: string) {
    super(
      url,
      SURVIVOR_NAMESPACE,
      { ...SURVIVOR_CLIENT_OPTIONS, extraHeaders: node ? { "x-cluster-node": node } : {} },
      key,
    );
    this.socket.on("accepted", (a: { sessionId: string; epoch: number }) => {
      if (a.sessionId === this.sessionId) this.epoch = a.epoch;
      this.events.push("accepted");
    });
    this.socket.on("transferring", (t: { sessionId: string; epoch: number }) => {
      this.events.push(`transferring:${t.epoch}`);
      void emitAck(this.socket, "transfer-key", { sessionId: t.sessionId, survivorKey: randomBytes(32) });
    });
    this.socket.on("connect", () => {
      // The first connection speaks for nothing yet; a reconnection waits for its resume.
      if (this.sessionId === "") this.online = true;
    });
    this.socket.io.on("reconnect", () => {
      this.reconnects++;
      void this.resume();
    });
  }

  /** The new counselor's channel after a handover: a fresh stream at the new epoch. */
  adopt(epoch: number, key: Buffer): void {
    this.stream = new Stream(key);
    this.epoch = epoch;
  }

  async join(partner = "demo"): Promise<void> {
    const challenge = await new Promise<Challenge>((resolve) => this.socket.once("challenge", resolve));
    const reply = await emitAck(this.socket, "join", {
      version: PROTOCOL_VERSION,
      pow: await proof(challenge),
      survivorKey: randomBytes(32),
      language: "en",
      partner,
    });
    if (!reply.ok) throw new Error(`join refused: ${reply.error}`);
    this.sessionId = reply.sessionId as string;
    this.resumeToken = reply.resumeToken as string;
  }

  async resume(): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const reply = await emitAck(this.socket, "resume", {
        version: PROTOCOL_VERSION,
        sessionId: this.sessionId,
        resumeToken: this.resumeToken,
      });
      if (reply.ok) {
        this.resumeToken = reply.resumeToken as string;
        this.epoch = reply.epoch as number;
        this.events.push("resumed");
        this.resumedAt = Date.now();
        this.online = true;
        this.resend();
        this.pacer.wake();
        return;
      }
      this.events.push(`resume:${reply.error}`);
      if (reply.error !== "timeout") return;
    }
  }
}

export class StaffPeer extends Peer {
  readonly assigned: { sessionId: string; epoch: number }[] = [];

  constructor(url: string, cookie: string, key: Buffer, node?: string) {
    super(
      url,
      STAFF_NAMESPACE,
      {
        ...STAFF_CLIENT_OPTIONS,
        extraHeaders: { cookie, origin: TEST_ORIGIN, ...(node ? { "x-cluster-node": node } : {}) },
      },
      key,
    );
    this.socket.on("assigned", (a: { sessionId: string; epoch: number }) => this.assigned.push(a));
    this.socket.on("connect", () => {
      this.online = true;
      this.pacer.wake();
    });
    this.socket.io.on("reconnect", () => {
      this.reconnects++;
      void emitAck(this.socket, "status", { status: "available" }).then(() => this.resend());
    });
  }

  async ready(status: "available" | "away" = "available"): Promise<void> {
    if (!this.socket.connected) await new Promise<void>((r) => this.socket.once("connect", () => r()));
    const reply = await emitAck(this.socket, "status", { status });
    if (!reply.ok) throw new Error(`status refused: ${reply.error}`);
  }

  /** Takes (or was given) this session and completes the handshake for `epoch`. */
  async accept(sessionId: string, epoch: number): Promise<void> {
    this.sessionId = sessionId;
    this.epoch = epoch;
    const reply = await emitAck(this.socket, "accept", { sessionId, epoch, handshake: randomBytes(96) });
    if (!reply.ok) throw new Error(`accept refused: ${reply.error}`);
  }

  take(sessionId?: string): Promise<Reply> {
    return emitAck(this.socket, "take", sessionId ? { sessionId } : {});
  }

  transfer(to: string): Promise<Reply> {
    return emitAck(this.socket, "transfer", { sessionId: this.sessionId, to });
  }

  /** A fresh chat stream after a handover (new epoch, new channel). */
  adopt(sessionId: string, epoch: number, key: Buffer): void {
    this.stream = new Stream(key);
    this.sessionId = sessionId;
    this.epoch = epoch;
  }
}

export { emitAck, open as openSealed, seal };
