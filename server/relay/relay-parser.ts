import { EventEmitter } from "node:events";
import * as msgpackParser from "socket.io-msgpack-parser";
import { STAFF_NAMESPACE, SURVIVOR_NAMESPACE } from "../../shared/protocol/index.ts";
import { decodeMsgpack, MsgpackError } from "./msgpack-decode.ts";

/**
 * The relay's socket.io parser: socket.io-msgpack-parser's encoder (what clients expect) with a
 * decoder of our own for what clients send. Two threats the library's decoder lets through:
 *
 * - lengths taken from the wire and allocated at once (`decodeMsgpack` checks them first);
 * - reserved event names. Unlike socket.io's default parser, the msgpack one passes an EVENT
 *   packet named `disconnect` to the socket, whose own `disconnect` listeners then ran: a client
 *   could make the relay think it had left while it stayed connected. Such a packet is refused
 *   here, which closes the connection, on every namespace;
 * - namespace sockets multiplied on one connection. socket.io refuses a CONNECT for a namespace
 *   the connection is already connected to, but not one whose connect is still running its
 *   middleware, so a single long-polling POST of 270 KB holding 9,000 CONNECT packets (or as
 *   many WebSocket messages in one read) opened 9,000 survivor sockets, each with its challenge
 *   and rate-limit buckets: ten such POSTs took 460 MB. A connection may connect once to each
 *   of the relay's two namespaces (socket.io-client never does more: a refused or closed
 *   namespace closes its transport, and the next attempt opens a new one); any other CONNECT,
 *   to the main namespace `/` or any other name included, is refused here.
 */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

const PacketType = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4 } as const;

type Packet = { type: number; nsp: string; data?: unknown; id?: number };

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" &&
  x !== null &&
  !Array.isArray(x) &&
  !(x instanceof Uint8Array) &&
  !(x instanceof ArrayBuffer) &&
  !(x instanceof Date);

/** Throws unless `decoded` is a packet socket.io may act on. */
export function checkPacket(decoded: unknown): Packet {
  if (!isPlainObject(decoded)) throw new MsgpackError("packet is not a map");
  const { type, nsp, data, id } = decoded;
  if (typeof type !== "number" || !Number.isInteger(type) || type < 0 || type > 4)
    throw new MsgpackError("invalid packet type");
  if (typeof nsp !== "string") throw new MsgpackError("invalid namespace");
  if (id !== undefined && !(typeof id === "number" && Number.isSafeInteger(id) && id >= 0))
    throw new MsgpackError("invalid packet id");
  switch (type) {
    case PacketType.CONNECT:
      if (data !== undefined && !isPlainObject(data)) throw new MsgpackError("invalid payload");
      break;
    case PacketType.DISCONNECT:
      if (data !== undefined) throw new MsgpackError("invalid payload");
      break;
    case PacketType.CONNECT_ERROR:
      if (typeof data !== "string" && !isPlainObject(data)) throw new MsgpackError("invalid payload");
      break;
    case PacketType.EVENT: {
      if (!Array.isArray(data)) throw new MsgpackError("invalid payload");
      const name: unknown = data[0];
      if (typeof name !== "string" && typeof name !== "number") throw new MsgpackError("invalid event name");
      if (typeof name === "string" && RESERVED_EVENTS.has(name))
        throw new MsgpackError("reserved event name");
      break;
    }
    default:
      if (!Array.isArray(data)) throw new MsgpackError("invalid payload");
  }
  return decoded as Packet;
}

/** The namespaces a client may connect to, each once per connection. */
export const RELAY_NAMESPACES: ReadonlySet<string> = new Set([SURVIVOR_NAMESPACE, STAFF_NAMESPACE]);

/** socket.io makes one decoder per engine.io connection: its state is that connection's. */
export class Decoder extends EventEmitter {
  readonly #connected = new Set<string>();

  add(chunk: unknown): void {
    // Text frames never carry msgpack: a client sending one is not a relay client.
    if (!(chunk instanceof Uint8Array)) throw new MsgpackError("not binary");
    const packet = checkPacket(decodeMsgpack(chunk));
    if (packet.type === PacketType.CONNECT) {
      if (!RELAY_NAMESPACES.has(packet.nsp)) throw new MsgpackError("unknown namespace");
      if (this.#connected.has(packet.nsp)) throw new MsgpackError("namespace connected twice");
      this.#connected.add(packet.nsp);
    }
    this.emit("decoded", packet);
  }

  destroy(): void {
    this.removeAllListeners();
  }
}

export const Encoder = msgpackParser.Encoder;
export const protocol = 5;
