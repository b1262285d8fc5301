import type { Server } from "socket.io";

/**
 * Threat: a client that sends and never reads. Every request is answered (its reply, or an
 * `error` event when it is refused: rate-limited, bad-request), and engine.io queues what a
 * connection has not taken without any bound: a long-polling client that never polls (kept
 * alive by posting pongs it was never asked for) or a WebSocket client that stops reading.
 * Measured: 27 MB of refused frames posted over ten seconds on one long-polling session held
 * 305 MB on the server (about 340 bytes per queued answer), until the session timed out.
 *
 * Each connection's unread output (packets queued by engine.io since its last flush, plus what a
 * WebSocket has buffered below it) is counted as packets are queued; past `maxBytes` the
 * connection is dropped at once, its queue discarded: the relay takes it as a dropped network
 * (a survivor may resume, a counselor reconnects). Each queued packet counts PACKET_OVERHEAD
 * bytes besides its data, about what engine.io holds for it, so a flood of tiny answers is cut
 * as soon as one of large ones.
 */
export const PACKET_OVERHEAD = 256;

/**
 * 4 MiB: a frame burst (FRAME_BURST frames of MAX_FRAME_BYTES, 250 KB) from each of ten chats,
 * the highest chat limit, plus a hand-over (`maxHttpBufferSize`), with room to spare. A reader
 * that falls that far behind has stalled for seconds at the highest rate its peers may send;
 * a client that does not read holds no more than this on the server.
 */
export const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

type Packet = { data?: unknown };
type Transport = { name: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
type Connection = {
  transport: Transport;
  on(event: "packetCreate", listener: (packet: Packet) => void): unknown;
  on(event: "flush", listener: () => void): unknown;
  close(discard?: boolean): void;
};

const size = (data: unknown): number =>
  typeof data === "string" ? data.length : data instanceof Uint8Array ? data.byteLength : 0;

export function limitUnread(io: Server, maxBytes = MAX_UNREAD_BYTES): void {
  io.engine.on("connection", (conn: Connection) => {
    let queued = 0;
    conn.on("flush", () => {
      queued = 0;
    });
    conn.on("packetCreate", (packet) => {
      queued += PACKET_OVERHEAD + size(packet.data);
      const transport = conn.transport;
      const below = transport.name === "websocket" ? (transport.socket?.bufferedAmount ?? 0) : 0;
      if (queued + below <= maxBytes) return;
      queued = 0;
      // Discarded: no close packet waits behind what the client is not reading.
      conn.close(true);
      transport.socket?.terminate?.();
    });
  });
}
