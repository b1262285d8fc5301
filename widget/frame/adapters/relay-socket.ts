import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import type * as v from "valibot";
import { ackRequest, type EmitWithAck } from "../../../shared/protocol/ack-request.ts";
import type { Language } from "../../../shared/protocol/envelopes.ts";
import { SURVIVOR_NAMESPACE } from "../../../shared/protocol/events.ts";
import type { PartnerId, ResumeToken, SessionId } from "../../../shared/protocol/ids.ts";
import { PROTOCOL_VERSION } from "../../../shared/protocol/limits.ts";
import { parse } from "../../../shared/protocol/parse.ts";
import { SURVIVOR_CLIENT_OPTIONS } from "../../../shared/protocol/transport.ts";
import {
  INCOMING,
  type Incoming,
  PlainReplySchema,
  QueuedReplySchema,
  ResumeReplySchema,
} from "./relay-events.ts";

/**
 * The frame's connection to the relay's `/survivor` namespace. It carries routing metadata and
 * ciphertext only. Incoming events are parsed before anyone sees them.
 */
export type Queued = v.InferOutput<typeof QueuedReplySchema>;
export type Resumed = v.InferOutput<typeof ResumeReplySchema>;
export type PlainReply = v.InferOutput<typeof PlainReplySchema>;

export type RelayTransport = Readonly<{
  on: <E extends keyof Incoming>(event: E, handler: (payload: Incoming[E]) => void) => void;
  /** `connected` flips; a reconnection (not the first connect) is when to `resume`. */
  onConnection: (handler: (connected: boolean, reconnect: boolean) => void) => void;
  join: (
    join: Readonly<{
      challenge: string;
      nonce: Uint8Array;
      survivorKey: Uint8Array;
      language: Language;
      partner: PartnerId;
    }>,
  ) => Promise<Queued>;
  resume: (sessionId: SessionId, resumeToken: ResumeToken) => Promise<Resumed>;
  transferKey: (sessionId: SessionId, survivorKey: Uint8Array) => Promise<PlainReply>;
  frame: (sessionId: SessionId, epoch: number, seq: number, ciphertext: Uint8Array) => void;
  ack: (sessionId: SessionId, epoch: number, seq: number) => void;
  /** Keep-alive while queued: a waiting session that stops sending it loses its place. */
  stillWaiting: (sessionId: SessionId) => void;
  /**
   * Resolves when the relay confirms the session is gone, or after a short bound. Close only
   * after it: socket.io drops an event that reaches the relay in the same read as the
   * disconnect packet (seen under load: the counselor learned of a quick exit only when the
   * resume grace ran out). The relay also treats a deliberate disconnect as leaving.
   */
  leave: (sessionId: SessionId, reason: "ended" | "quick-exit" | "wiped") => Promise<void>;
  close: () => void;
  /**
   * For `pagehide`, where no later tick is guaranteed: sends the disconnect packet (the relay
   * ends the session as "visitor left") and closes the WebSocket at once. A closing WebSocket
   * still sends what was queued before its close frame, while a document torn down with the
   * socket open may drop it.
   */
  closeNow: () => void;
}>;

/** An exact copy as ArrayBuffer: the browser msgpack codec writes that as `bin`, and no neighbouring bytes leave. */
const wireBytes = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

const REQUEST_TIMEOUT_MS = 15_000;
/** How long `leave` waits for the relay's answer before the socket closes anyway. */
const LEAVE_WAIT_MS = 1000;

/** Waits before connecting again after the relay's middleware refused the connection. */
const REFUSED_RETRY_MS = [250, 1000, 2000, 4000] as const;

export function connectRelay(): RelayTransport {
  const socket: Socket = io(SURVIVOR_NAMESPACE, { ...SURVIVOR_CLIENT_OPTIONS, parser: msgpackParser });
  // socket.io gives up by design when the relay's middleware refuses the connection, and a node
  // that is stopping does (`shutting-down`: a reconnection that reached it in a deploy's last
  // moment). The balancer sends the next attempt to another node; without one the survivor
  // would wait for ever while the relay's resume grace ran out.
  let closed = false;
  let refusals = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  socket.on("connect_error", () => {
    if (closed || socket.active || retryTimer !== null) return;
    const wait = REFUSED_RETRY_MS[Math.min(refusals, REFUSED_RETRY_MS.length - 1)];
    refusals++;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!closed && !socket.connected) socket.connect();
    }, wait);
  });
  const stop = () => {
    closed = true;
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
  };
  // Counted from the socket's creation, not from when a handler registers: the connection is
  // opened early (while the start screen is read), so the chat flow registers after the first
  // connect, and must still see the next one as a reconnection (resume, resend).
  let connections = 0;
  socket.on("connect", () => {
    connections++;
    refusals = 0;
  });

  const emit: EmitWithAck = (event, payload) =>
    socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, payload);
  const request = <T>(schema: v.GenericSchema<unknown, T>, event: string, payload: unknown) =>
    ackRequest(emit, schema, event, payload);

  return {
    on: (event, handler) => {
      socket.on(event as string, (payload: unknown) => {
        const parsed = parse(INCOMING[event], payload);
        if (parsed.ok) handler(parsed.value as Incoming[typeof event]);
      });
    },
    onConnection: (handler) => {
      socket.on("connect", () => handler(true, connections > 1));
      socket.on("disconnect", () => handler(false, false));
      socket.on("connect_error", () => handler(false, false));
    },
    join: (join) =>
      request(QueuedReplySchema, "join", {
        version: PROTOCOL_VERSION,
        pow: { challenge: join.challenge, nonce: wireBytes(join.nonce) },
        survivorKey: wireBytes(join.survivorKey),
        language: join.language,
        partner: join.partner,
      }),
    resume: (sessionId, resumeToken) =>
      request(ResumeReplySchema, "resume", { version: PROTOCOL_VERSION, sessionId, resumeToken }),
    transferKey: (sessionId, survivorKey) =>
      request(PlainReplySchema, "transfer-key", { sessionId, survivorKey: wireBytes(survivorKey) }),
    frame: (sessionId, epoch, seq, ciphertext) => {
      socket.emit("frame", { sessionId, epoch, seq, ciphertext: wireBytes(ciphertext) });
    },
    ack: (sessionId, epoch, seq) => {
      socket.emit("ack", { sessionId, epoch, seq });
    },
    stillWaiting: (sessionId) => {
      socket.emit("waiting", { sessionId });
    },
    leave: async (sessionId, reason) => {
      try {
        await socket.timeout(LEAVE_WAIT_MS).emitWithAck("leave", { sessionId, reason });
      } catch {
        // No answer in time: closing follows, and the relay ends the session on the disconnect.
      }
    },
    close: () => {
      stop();
      socket.removeAllListeners();
      socket.disconnect();
    },
    closeNow: () => {
      stop();
      socket.removeAllListeners();
      socket.io.reconnection(false);
      socket.disconnect();
      try {
        (
          socket.io.engine as unknown as { transport?: { close: () => void } } | undefined
        )?.transport?.close();
      } catch {
        // Already closed.
      }
    },
  };
}

// The revocation list's fetch (its schema needs valibot) comes with this chunk, not the entry.
export { fetchRevocations } from "./revocations.ts";
