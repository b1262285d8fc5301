/**
 * How clients connect to the relay. The apps build their socket.io-client options from this
 * (shared/ cannot import the parser package, so it names it; each app imports
 * `socket.io-msgpack-parser` itself and passes it as `parser`). The server side mirrors it in
 * server/relay/server-options.ts.
 *
 * Why msgpack: the default parser sends every binary attachment as a separate WebSocket message
 * after a JSON placeholder (two messages per frame), and base64 inflates ciphertext by a third on
 * the slow mobile links survivors use. msgpack sends one binary message with raw ciphertext; the
 * relay benchmark (bench/relay.bench.ts) measures all three, see PROTOCOL.md "Transport and
 * envelopes".
 *
 * Binary fields with this codec: SEND them as an ArrayBuffer covering exactly the bytes (in the
 * browser, `bytes.slice().buffer`; notepack.io's browser encoder turns a Uint8Array into a map of
 * indices, which the relay rejects as `bad-request`). They ARRIVE as ArrayBuffer in the browser
 * and as Buffer in Node; wrap them with `new Uint8Array(...)`.
 */
export const RELAY_PATH = "/relay/";

export const RELAY_PARSER = "socket.io-msgpack-parser" as const;

type TransportName = "websocket" | "polling";
/** Survivors may fall back to long-polling when a network blocks WebSocket. */
export const SURVIVOR_TRANSPORTS: readonly TransportName[] = ["websocket", "polling"];
/** Staff consoles run on office networks: WebSocket only. */
export const STAFF_TRANSPORTS: readonly TransportName[] = ["websocket"];

/**
 * Client options shared by both apps (spread them, then add `parser`). Reconnection stays on:
 * a survivor reconnects and sends `resume`; a counselor reconnects within the grace period and
 * keeps its chats.
 */
export const RELAY_CLIENT_OPTIONS = {
  path: RELAY_PATH,
  /** Never send cookies from the survivor frame (it has none; keep it that way). */
  withCredentials: false,
  reconnection: true,
  reconnectionDelay: 500,
  reconnectionDelayMax: 5000,
  timeout: 10_000,
} as const;

/**
 * `tryAllTransports`: without it socket.io-client tries only the first transport on a new
 * connection, so a network that refuses WebSocket never reached the polling fallback.
 */
export const SURVIVOR_CLIENT_OPTIONS = {
  ...RELAY_CLIENT_OPTIONS,
  transports: [...SURVIVOR_TRANSPORTS],
  tryAllTransports: true,
};
/** The console is same-origin with the relay, so its login cookie goes with the handshake. */
export const STAFF_CLIENT_OPTIONS = {
  ...RELAY_CLIENT_OPTIONS,
  withCredentials: true,
  transports: [...STAFF_TRANSPORTS],
};
