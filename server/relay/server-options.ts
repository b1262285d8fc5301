import type { ServerOptions } from "socket.io";
import { MAX_FRAME_BYTES, MAX_HANDOVER_BYTES, RELAY_PATH } from "../../shared/protocol/index.ts";
import * as relayParser from "./relay-parser.ts";

/**
 * Options for the socket.io Server the relay attaches to (the process that owns the http server
 * passes them to `new Server(http, relayServerOptions)`). They mirror
 * shared/protocol/transport.ts: msgpack parser (one binary WebSocket message per frame; measured
 * in bench/relay.bench.ts; its decoder is our strict one, relay-parser.ts), no per-message deflate (ciphertext does not compress, and
 * compression next to secrets invites length side channels), and a buffer cap just above the
 * largest legitimate message so an oversized packet closes the connection before it is decoded.
 */
export const relayServerOptions = {
  path: RELAY_PATH,
  serveClient: false,
  parser: relayParser,
  perMessageDeflate: false,
  httpCompression: false,
  transports: ["websocket", "polling"],
  maxHttpBufferSize: MAX_HANDOVER_BYTES + MAX_FRAME_BYTES + 1024,
  connectTimeout: 10_000,
  pingInterval: 20_000,
  pingTimeout: 20_000,
  cookie: false,
  // Long-polling from the survivor's sandboxed frame: its requests carry `Origin: null` (opaque
  // origin), and without this header the browser hides every answer, so the fallback for
  // networks that block WebSocket could never work. Only `null` is reflected, and never with
  // credentials: the survivor has no cookie to send, and staff sockets (same origin, cookie)
  // need no CORS at all; the /staff namespace refuses any Origin but PUBLIC_ORIGIN anyway.
  cors: { origin: ["null"], credentials: false },
} satisfies Partial<ServerOptions>;
