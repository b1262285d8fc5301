import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import type * as v from "valibot";
import { ackRequest, type EmitWithAck } from "../../../shared/protocol/ack-request.ts";
import {
  type Ack,
  type Assigned,
  type Frame,
  type HandoverFailed,
  type LoadSnapshot,
  type PeerStatus,
  parse,
  type QueueSnapshot,
  type RelayError,
  type RelayErrorCode,
  STAFF_NAMESPACE,
  type SessionId,
  type StaffEnded,
  type StaffId,
  type StaffStatus,
  type WrapupToken,
} from "../../../shared/protocol/index.ts";
import { STAFF_CLIENT_OPTIONS } from "../../../shared/protocol/transport.ts";
import {
  AckSchema,
  AssignedSchema,
  FrameSchema,
  HandoverFailedSchema,
  LoadSnapshotSchema,
  PeerStatusSchema,
  QueueSnapshotSchema,
  RelayErrorSchema,
  ReplySchema,
  ClearSilentReplySchema,
  LeaveReplySchema,
  StaffEndedSchema,
  TakeReplySchema,
} from "./staff-events.ts";
import { type SideTransport, sideTransport } from "./side-socket.ts";
import { encodeBase64url } from "../crypto/base64url.ts";

/**
 * The console's connection to the relay's `/staff` namespace (authenticated by the login
 * cookie). Incoming events are parsed before handlers see them; malformed ones are dropped.
 */
export type StaffEvents = {
  queue: QueueSnapshot;
  assigned: Assigned;
  frame: Frame;
  ack: Ack;
  ended: StaffEnded;
  load: LoadSnapshot;
  peer: PeerStatus;
  error: RelayError;
  "handover-failed": HandoverFailed;
};

export type Reply = { readonly ok: true } | { readonly ok: false; readonly error: RelayErrorCode };
export type TakeReply =
  | { readonly ok: true; readonly assigned: Assigned }
  | { readonly ok: false; readonly error: RelayErrorCode };

export type LeaveReply =
  | { readonly ok: true; readonly wrapup?: WrapupToken }
  | { readonly ok: false; readonly error: RelayErrorCode };

export type ClearSilentReply =
  | { readonly ok: true; readonly cleared: number }
  | { readonly ok: false; readonly error: RelayErrorCode };

export type StaffTransport = Readonly<{
  on: <E extends keyof StaffEvents>(event: E, handler: (payload: StaffEvents[E]) => void) => void;
  /** `connected` flips; `recovered` is true on a reconnection (resend unacked frames then). */
  onConnection: (handler: (connected: boolean, recovered: boolean) => void) => void;
  /**
   * The relay refused the login cookie on a reconnect: the server restarted (logins live in its
   * memory), the session expired or the account was cut off. Nothing is retried after this.
   */
  onLoginLost: (handler: () => void) => void;
  /**
   * A newer console page of this staff member took the desk (another tab, window or computer):
   * the relay moved the chats there and closed this connection. Nothing is retried after this.
   */
  onReplaced: (handler: () => void) => void;
  status: (status: StaffStatus) => Promise<Reply>;
  take: (sessionId?: SessionId) => Promise<TakeReply>;
  accept: (sessionId: SessionId, epoch: number, handshake: Uint8Array) => Promise<Reply>;
  transfer: (sessionId: SessionId, to: StaffId, note: Uint8Array | null) => Promise<Reply>;
  reclaim: (sessionId: SessionId, to: "me" | "queue") => Promise<Reply>;
  /** The reply carries the chat's one-time wrap-up token. */
  leave: (sessionId: SessionId) => Promise<LeaveReply>;
  /** Supervisors: end waiting chats whose frame never sent a keep-alive (joins nobody is behind). */
  clearSilent: () => Promise<ClearSilentReply>;
  /** Resolves with the relay's answer: ok once it has taken the frame, an error code if not. */
  frame: (frame: Frame) => Promise<Reply>;
  ack: (ack: Ack) => void;
  /** "Ask a supervisor": the side-conversation events of the same socket. */
  side: SideTransport;
  close: () => void;
}>;

const schemas: { [E in keyof StaffEvents]: v.GenericSchema<unknown, StaffEvents[E]> } = {
  queue: QueueSnapshotSchema as unknown as v.GenericSchema<unknown, QueueSnapshot>,
  assigned: AssignedSchema as unknown as v.GenericSchema<unknown, Assigned>,
  frame: FrameSchema,
  ack: AckSchema,
  ended: StaffEndedSchema,
  load: LoadSnapshotSchema as unknown as v.GenericSchema<unknown, LoadSnapshot>,
  peer: PeerStatusSchema,
  error: RelayErrorSchema as unknown as v.GenericSchema<unknown, RelayError>,
  "handover-failed": HandoverFailedSchema,
};

/**
 * The browser msgpack codec writes an ArrayBuffer as `bin` but would spell a Uint8Array out as
 * an object; an exact copy also guarantees no neighbouring bytes of a larger buffer leave.
 */
export function wireBytes(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** Waits before connecting again after the server itself closed the socket (a restart). */
const RETRY_MS = [1000, 2000, 4000, 8000] as const;

export function connectStaffSocket(): StaffTransport {
  let everConnected = false;
  // This page's desk (PROTOCOL.md "One desk per staff member"): fresh until its first connection,
  // so the relay hands this page the chats a page before it held (their keys died with it).
  const desk = encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
  const socket: Socket = io(STAFF_NAMESPACE, {
    ...STAFF_CLIENT_OPTIONS,
    parser: msgpackParser,
    auth: (give: (auth: object) => void) => give({ desk, fresh: !everConnected }),
  });
  let closed = false;
  let retries = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const loginLost: (() => void)[] = [];
  const replaced: (() => void)[] = [];
  const replacedHere = () => {
    if (closed) return;
    closed = true;
    if (retryTimer !== null) clearTimeout(retryTimer);
    socket.disconnect();
    for (const handler of replaced) handler();
  };
  socket.on("replaced", replacedHere);

  // socket.io gives up by design when the server closes the socket or its middleware refuses the
  // connection; a restarting server does both, which left the console "Reconnecting…" forever.
  const retryLater = () => {
    if (closed || retryTimer !== null) return;
    const wait = RETRY_MS[Math.min(retries, RETRY_MS.length - 1)] ?? 8000;
    retries++;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!closed && !socket.connected) socket.connect();
    }, wait);
  };
  socket.on("connect", () => {
    retries = 0;
  });
  socket.on("disconnect", (reason) => {
    if (reason === "io server disconnect") retryLater();
  });
  socket.on("connect_error", (error: Error) => {
    if (error.message === "replaced") return replacedHere();
    if (error.message === "unauthenticated") {
      closed = true;
      socket.disconnect();
      for (const handler of loginLost) handler();
      return;
    }
    // A middleware refusal ("shutting-down") leaves the socket inactive; network errors do not.
    if (!socket.active) retryLater();
  });

  const emit: EmitWithAck = (event, payload) =>
    socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, payload);
  const request = <T>(schema: v.GenericSchema<unknown, T>, event: string, payload: unknown) =>
    ackRequest(emit, schema, event, payload);

  return {
    on: (event, handler) => {
      socket.on(event as string, (payload: unknown) => {
        const parsed = parse(schemas[event], payload);
        if (parsed.ok) handler(parsed.value as StaffEvents[typeof event]);
      });
    },
    onConnection: (handler) => {
      socket.on("connect", () => {
        handler(true, everConnected);
        everConnected = true;
      });
      socket.on("disconnect", () => handler(false, false));
    },
    onLoginLost: (handler) => {
      loginLost.push(handler);
    },
    onReplaced: (handler) => {
      replaced.push(handler);
    },
    status: (status) => request(ReplySchema, "status", { status }) as Promise<Reply>,
    take: (sessionId) =>
      request(TakeReplySchema, "take", sessionId ? { sessionId } : {}) as Promise<TakeReply>,
    accept: (sessionId, epoch, handshake) =>
      request(ReplySchema, "accept", { sessionId, epoch, handshake: wireBytes(handshake) }) as Promise<Reply>,
    transfer: (sessionId, to, note) =>
      request(
        ReplySchema,
        "transfer",
        note ? { sessionId, to, note: wireBytes(note) } : { sessionId, to },
      ) as Promise<Reply>,
    reclaim: (sessionId, to) => request(ReplySchema, "reclaim", { sessionId, to }) as Promise<Reply>,
    leave: (sessionId) =>
      request(LeaveReplySchema, "leave", { sessionId, reason: "ended" }) as Promise<LeaveReply>,
    clearSilent: () => request(ClearSilentReplySchema, "clear-silent", {}) as Promise<ClearSilentReply>,
    frame: (frame) =>
      request(ReplySchema, "frame", { ...frame, ciphertext: wireBytes(frame.ciphertext) }) as Promise<Reply>,
    ack: (ack) => {
      socket.emit("ack", ack);
    },
    side: sideTransport((event, handler) => socket.on(event, handler), emit, wireBytes),
    close: () => {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
