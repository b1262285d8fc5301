import type { Socket } from "socket.io-client";
import { type Channel, counselorAccept } from "../../shared/crypto/index.ts";
import {
  type Assigned,
  decodePayload,
  encodePayload,
  type Frame,
  type Payload,
  type StaffEnded,
} from "../../shared/protocol/index.ts";
import type { StaffMember } from "./browser-staff.ts";
import { mustOk } from "./crypto-kit.ts";
import { connectStaff, request } from "./relay-clients.ts";

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

const bytes = (x: Uint8Array | ArrayBuffer) =>
  x instanceof ArrayBuffer ? new Uint8Array(x) : new Uint8Array(x);

export class ScriptedCounselor {
  readonly chats: ScriptedChat[] = [];
  private readonly socket: Socket;
  private readonly member: StaffMember;
  private readonly channels = new Map<string, { channel: Channel; opened: number; chat: ScriptedChat }>();

  private constructor(socket: Socket, member: StaffMember) {
    this.socket = socket;
    this.member = member;
    socket.on("assigned", (assigned: Assigned) => void this.accept(assigned));
    socket.on("frame", (frame: Frame) => this.onFrame(frame));
    socket.on("ended", (ended: StaffEnded) => {
      const chat = this.chats.find((c) => c.sessionId === ended.sessionId);
      if (chat) chat.ended = ended.reason;
    });
  }

  static async connect(origin: string, member: StaffMember): Promise<ScriptedCounselor> {
    const socket = (await connectStaff(origin, member.cookie, "available")) as unknown as Socket;
    return new ScriptedCounselor(socket, member);
  }

  /** The first chat assigned to this counselor (waits for it). */
  async nextChat(timeoutMs = 60_000): Promise<ScriptedChat> {
    const already = this.chats.length;
    const deadline = Date.now() + timeoutMs;
    while (this.chats.length === already) {
      if (Date.now() > deadline) throw new Error("no chat was assigned");
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
    const send = (payload: Payload) => {
      const sealed = mustOk(session.channel.seal(encodePayload(payload)));
      this.socket.emit("frame", {
        sessionId,
        epoch,
        seq: sealed.seq,
        ciphertext: Buffer.from(sealed.ciphertext),
      });
    };
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
        const last = mustOk(session.channel.close(encodePayload({ type: "end" })));
        this.socket.emit("frame", {
          sessionId,
          epoch,
          seq: last.seq,
          ciphertext: Buffer.from(last.ciphertext),
        });
        await request(this.socket, "leave", { sessionId, reason: "ended" });
      },
    };
    this.channels.set(key, { channel: session.channel, opened: -1, chat });
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
    // A resent frame (after the survivor reconnected) is dropped before decrypting.
    if (frame.seq <= entry.opened) return;
    const opened = mustOk(entry.channel.open(frame.seq, bytes(frame.ciphertext)));
    entry.opened = frame.seq;
    entry.chat.received.push(mustOk(decodePayload(opened.payload)));
    this.socket.emit("ack", { sessionId: frame.sessionId, epoch: frame.epoch, seq: frame.seq });
  }
}
