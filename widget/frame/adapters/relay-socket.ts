import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import type * as v from "valibot";
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
  /** Resolves once the packet has left the socket's write buffer (or after a short bound). */
  leave: (sessionId: SessionId, reason: "ended" | "quick-exit" | "wiped") => Promise<void>;
  close: () => void;
  /**
   * For `pagehide`: closes the WebSocket itself, now. A closing WebSocket still sends what was
   * queued before its close frame, while a document torn down with the socket open may drop it
   * (seen in Chromium: the `leave` sent from `pagehide` never reached the relay).
   */
  closeNow: () => void;
}>;

/** An exact copy as ArrayBuffer: the browser msgpack codec writes that as `bin`, and no neighbouring bytes leave. */
const wireBytes = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

const REQUEST_TIMEOUT_MS = 15_000;
const FLUSH_WAIT_MS = 300;

type EngineLike = {
  writeBuffer?: unknown[];
  transport?: { ws?: { bufferedAmount?: number } };
};

/**
 * engine.io queues a packet sent while the previous write is in flight, and the browser may
 * still hold bytes in the WebSocket's buffer. On quick exit the frame is destroyed right after
 * `leave`, which would drop both: wait (bounded) until both are empty, or the counselor would
 * learn the visitor left only when the resume grace expires.
 */
async function flushed(socket: Socket): Promise<void> {
  const engine = socket.io.engine as unknown as EngineLike | undefined;
  const pending = () =>
    (engine?.writeBuffer?.length ?? 0) > 0 || (engine?.transport?.ws?.bufferedAmount ?? 0) > 0;
  const deadline = Date.now() + FLUSH_WAIT_MS;
  // One macrotask at least: engine.io sends a queued packet on the next tick.
  do await new Promise((resolve) => setTimeout(resolve, 5));
  while (pending() && Date.now() < deadline);
}

export function connectRelay(): RelayTransport {
  const socket: Socket = io(SURVIVOR_NAMESPACE, { ...SURVIVOR_CLIENT_OPTIONS, parser: msgpackParser });
  let everConnected = false;

  async function request<S extends v.GenericSchema>(
    schema: S,
    event: string,
    payload: unknown,
  ): Promise<v.InferOutput<S>> {
    try {
      const answer: unknown = await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, payload);
      const parsed = parse(schema, answer);
      return parsed.ok ? parsed.value : { ok: false, error: "bad-request" };
    } catch {
      return { ok: false, error: "internal" };
    }
  }

  return {
    on: (event, handler) => {
      socket.on(event as string, (payload: unknown) => {
        const parsed = parse(INCOMING[event], payload);
        if (parsed.ok) handler(parsed.value as Incoming[typeof event]);
      });
    },
    onConnection: (handler) => {
      socket.on("connect", () => {
        handler(true, everConnected);
        everConnected = true;
      });
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
    leave: (sessionId, reason) => {
      socket.emit("leave", { sessionId, reason });
      return flushed(socket);
    },
    close: () => {
      socket.removeAllListeners();
      socket.disconnect();
    },
    closeNow: () => {
      socket.removeAllListeners();
      socket.io.reconnection(false);
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
