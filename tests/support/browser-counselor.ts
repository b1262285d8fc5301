import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import { type Channel, counselorAccept } from "../../shared/crypto/index.ts";
import {
  type Ack,
  type Assigned,
  decodePayload,
  encodePayload,
  type Frame,
  type Payload,
  type PeerStatus,
  STAFF_CLIENT_OPTIONS,
  STAFF_NAMESPACE,
  type StaffEnded,
} from "../../shared/protocol/index.ts";
import type { StaffMember } from "./browser-staff.ts";
import { mustOk } from "./crypto-kit.ts";
import { connected, request } from "./relay-clients.ts";

/**
 * A counselor scripted in Node over the real relay with the real crypto core, for scenarios
 * about the survivor's browser (the console drives the counselor in the full-flow scenario).
 * It receives auto-assigned chats, signs the handshake, decrypts, acknowledges, and records
 * every payload it opened so tests can check delivery exactly once and in order.
 */
export type ScriptedChat = {
  readonly sessionId: string;
  readonly epoch: number;
  readonly safetyCode: string;
  readonly received: Payload[];
  /** Sequence numbers of every frame the relay delivered, duplicates included. */
  readonly deliveredSeqs: number[];
  ended: StaffEnded["reason"] | null;
  send: (payload: Payload) => void;
  text: (body: string) => void;
  end: () => Promise<void>;
};

type Entry = {
  readonly channel: Channel;
  opened: number;
  readonly chat: ScriptedChat;
  /** Sealed frames the survivor has not acknowledged: resent when the survivor is back. */
  readonly unacked: Map<number, Frame>;
};

const bytes = (x: Uint8Array | ArrayBuffer) =>
  x instanceof ArrayBuffer ? new Uint8Array(x) : new Uint8Array(x);

export class ScriptedCounselor {
  readonly chats: ScriptedChat[] = [];
  /** Failures while accepting or opening (reported by nextChat and by tests' messages). */
  readonly errors: string[] = [];
  /** Relay events seen (peer connection changes, ends), for a failing test's message. */
  readonly events: string[] = [];
  private readonly socket: Socket;
  private readonly member: StaffMember;
  private readonly channels = new Map<string, Entry>();

  private constructor(socket: Socket, member: StaffMember) {
    this.socket = socket;
    this.member = member;
    socket.on("assigned", (assigned: Assigned) => {
      this.accept(assigned).catch((error: unknown) => this.errors.push(String(error)));
    });
    socket.on("frame", (frame: Frame) => {
      try {
        this.onFrame(frame);
      } catch (error) {
        this.errors.push(`frame ${frame.seq}: ${String(error)}`);
      }
    });
    socket.on("peer", (peer: PeerStatus) => this.events.push(`peer ${peer.connected ? "back" : "gone"}`));
    socket.on("ended", (ended: StaffEnded) => this.events.push(`ended ${ended.reason}`));
    socket.on("ack", (ack: Ack) => {
      const entry = this.channels.get(`${ack.sessionId}/${ack.epoch}`);
      if (entry) for (const seq of [...entry.unacked.keys()]) if (seq <= ack.seq) entry.unacked.delete(seq);
    });
    socket.on("peer", (peer: PeerStatus) => {
      if (!peer.connected) return;
      for (const entry of this.channels.values()) {
        if (entry.chat.sessionId !== peer.sessionId) continue;
        for (const frame of entry.unacked.values()) this.socket.emit("frame", frame);
      }
    });
    socket.on("ended", (ended: StaffEnded) => {
      const chat = this.chats.find((c) => c.sessionId === ended.sessionId);
      if (chat) chat.ended = ended.reason;
    });
  }

  static async connect(origin: string, member: StaffMember): Promise<ScriptedCounselor> {
    // As the console would: its login cookie and its own origin (the relay checks both).
    const socket = io(`${origin}${STAFF_NAMESPACE}`, {
      ...STAFF_CLIENT_OPTIONS,
      parser: msgpackParser,
      forceNew: true,
      extraHeaders: { cookie: member.cookie, origin },
    }) as Socket;
    // Listeners first: becoming available may assign a waiting chat at once.
    const counselor = new ScriptedCounselor(socket, member);
    await connected(socket);
    const reply = await request(socket, "status", { status: "available" });
    if (!reply.ok) throw new Error(`status refused: ${String((reply as { error?: string }).error)}`);
    return counselor;
  }

  private handedOut = 0;

  /** The next chat assigned to this counselor that the test has not seen yet (waits for it). */
  async nextChat(timeoutMs = 60_000): Promise<ScriptedChat> {
    const already = this.handedOut++;
    const deadline = Date.now() + timeoutMs;
    while (this.chats.length <= already) {
      if (Date.now() > deadline) throw new Error(`no chat was assigned ${this.errors.join("; ")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.chats[already]!;
  }

  close(): void {
    this.socket.disconnect();
  }

  private async accept(assigned: Assigned): Promise<void> {
    const session = mustOk(
      counselorAccept({
        sessionId: assigned.sessionId,
        epoch: assigned.epoch,
        survivorPublicKey: bytes(assigned.survivorKey),
        identitySecretKey: this.member.secretKey,
        certificate: this.member.certificate,
      }),
    );
    const key = `${assigned.sessionId}/${assigned.epoch}`;
    const { sessionId, epoch } = assigned;
    const unacked = new Map<number, Frame>();
    const emit = (sealed: Readonly<{ seq: number; ciphertext: Uint8Array }>) => {
      const frame = {
        sessionId,
        epoch,
        seq: sealed.seq,
        ciphertext: Buffer.from(sealed.ciphertext),
      } as Frame;
      unacked.set(sealed.seq, frame);
      this.socket.emit("frame", frame);
    };
    const send = (payload: Payload) => emit(mustOk(session.channel.seal(encodePayload(payload))));
    let counter = 0;
    const chat: ScriptedChat = {
      sessionId,
      epoch,
      safetyCode: session.safetyCode,
      received: [],
      deliveredSeqs: [],
      ended: null,
      send,
      text: (body) => send({ type: "text", id: `c${++counter}`, body }),
      end: async () => {
        emit(mustOk(session.channel.close(encodePayload({ type: "end" }))));
        await request(this.socket, "leave", { sessionId, reason: "ended" });
      },
    };
    this.channels.set(key, { channel: session.channel, opened: -1, chat, unacked });
    const reply = await request(this.socket, "accept", {
      sessionId,
      epoch,
      handshake: Buffer.from(session.handshake),
    });
    if (!reply.ok) throw new Error(`accept refused: ${String((reply as { error?: string }).error)}`);
    this.chats.push(chat);
  }

  private onFrame(frame: Frame): void {
    const entry = this.channels.get(`${frame.sessionId}/${frame.epoch}`);
    if (!entry) return;
    entry.chat.deliveredSeqs.push(frame.seq);
    // A resent frame (after the survivor reconnected) is dropped before decrypting, and
    // acknowledged again: the first acknowledgement may have been lost with the connection.
    if (frame.seq <= entry.opened) {
      this.socket.emit("ack", { sessionId: frame.sessionId, epoch: frame.epoch, seq: entry.opened });
      return;
    }
    const opened = mustOk(entry.channel.open(frame.seq, bytes(frame.ciphertext)));
    entry.opened = frame.seq;
    entry.chat.received.push(mustOk(decodePayload(opened.payload)));
    this.socket.emit("ack", { sessionId: frame.sessionId, epoch: frame.epoch, seq: frame.seq });
  }
}
