import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import type * as v from "valibot";
import {
  type Ack,
  type Assigned,
  type Frame,
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
} from "../../../shared/protocol/index.ts";
import { STAFF_CLIENT_OPTIONS } from "../../../shared/protocol/transport.ts";
import {
  AckSchema,
  AssignedSchema,
  FrameSchema,
  LoadSnapshotSchema,
  PeerStatusSchema,
  QueueSnapshotSchema,
  RelayErrorSchema,
  ReplySchema,
  StaffEndedSchema,
  TakeReplySchema,
} from "./staff-events.ts";

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
};

export type Reply = { readonly ok: true } | { readonly ok: false; readonly error: RelayErrorCode };
export type TakeReply =
  | { readonly ok: true; readonly assigned: Assigned }
  | { readonly ok: false; readonly error: RelayErrorCode };

export type StaffTransport = Readonly<{
  on: <E extends keyof StaffEvents>(event: E, handler: (payload: StaffEvents[E]) => void) => void;
  /** `connected` flips; `recovered` is true on a reconnection (resend unacked frames then). */
  onConnection: (handler: (connected: boolean, recovered: boolean) => void) => void;
  status: (status: StaffStatus) => Promise<Reply>;
  take: (sessionId?: SessionId) => Promise<TakeReply>;
  accept: (sessionId: SessionId, epoch: number, handshake: Uint8Array) => Promise<Reply>;
  transfer: (sessionId: SessionId, to: StaffId, note: Uint8Array | null) => Promise<Reply>;
  leave: (sessionId: SessionId) => Promise<Reply>;
  frame: (frame: Frame) => void;
  ack: (ack: Ack) => void;
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
};

/**
 * The browser msgpack codec writes an ArrayBuffer as `bin` but would spell a Uint8Array out as
 * an object; an exact copy also guarantees no neighbouring bytes of a larger buffer leave.
 */
export function wireBytes(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

const REQUEST_TIMEOUT_MS = 10_000;
const SERVER_CLOSE_RETRY_MS = 300;

export function connectStaffSocket(): StaffTransport {
  const socket: Socket = io(STAFF_NAMESPACE, { ...STAFF_CLIENT_OPTIONS, parser: msgpackParser });
  let everConnected = false;
  let closed = false;
  const refusedHandlers: ((error: RelayError) => void)[] = [];
  // The relay closes every socket of a login that ended (a new password, logout elsewhere) or of
  // a member whose role changed. Socket.io does not reconnect after a server-side close, so try
  // once with the cookie the browser holds now: a renewed login carries on (chats are kept
  // during the grace period), an ended one is refused and the console locks.
  socket.on("disconnect", (reason) => {
    if (reason !== "io server disconnect") return;
    setTimeout(() => {
      if (!closed) socket.connect();
    }, SERVER_CLOSE_RETRY_MS);
  });
  socket.on("connect_error", (error) => {
    if (error.message !== "unauthenticated") return;
    for (const handler of refusedHandlers) handler({ code: "unauthenticated" });
  });

  const request = async <T>(
    schema: v.GenericSchema<unknown, T>,
    event: string,
    payload: unknown,
  ): Promise<T | Reply> => {
    try {
      const answer: unknown = await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, payload);
      const parsed = parse(schema, answer);
      return parsed.ok ? parsed.value : { ok: false, error: "bad-request" };
    } catch {
      return { ok: false, error: "internal" };
    }
  };

  return {
    on: (event, handler) => {
      if (event === "error") refusedHandlers.push(handler as (error: RelayError) => void);
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
    leave: (sessionId) => request(ReplySchema, "leave", { sessionId, reason: "ended" }) as Promise<Reply>,
    frame: (frame) => {
      socket.emit("frame", { ...frame, ciphertext: wireBytes(frame.ciphertext) });
    },
    ack: (ack) => {
      socket.emit("ack", ack);
    },
    close: () => {
      closed = true;
      refusedHandlers.length = 0;
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
