import { request as httpRequest } from "node:http";
import * as msgpackParser from "socket.io-msgpack-parser";
import { WebSocket } from "ws";
import { RELAY_PATH } from "../../shared/protocol/index.ts";

/**
 * An outsider's client: raw engine.io over WebSocket or long-polling, speaking socket.io packets
 * encoded by hand (or not encoded at all). No socket.io-client, so nothing refuses to send what
 * a real client would never send.
 */
export type SocketIoPacket = Readonly<{ type: number; nsp: string; data?: unknown; id?: number }>;

export const encodePacket = (packet: SocketIoPacket): Buffer =>
  Buffer.from((new msgpackParser.Encoder().encode(packet) as unknown as Uint8Array[])[0] as Uint8Array);

export type RawSocket = Readonly<{
  ws: WebSocket;
  /** Every binary message the server sent, decoded lazily by the test if it wants. */
  received: Buffer[];
  closed: Promise<void>;
  isOpen: () => boolean;
  send: (data: Buffer | string) => void;
}>;

/** Opens an engine.io WebSocket and waits for its open packet. */
export function rawWebSocket(port: number, host = "127.0.0.1"): Promise<RawSocket> {
  const ws = new WebSocket(`ws://${host}:${port}${RELAY_PATH}?EIO=4&transport=websocket`);
  const received: Buffer[] = [];
  let open = false;
  const closed = new Promise<void>((resolve) => {
    ws.on("close", () => {
      open = false;
      resolve();
    });
    ws.on("error", () => resolve());
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no engine.io open packet")), 5000);
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        received.push(Buffer.from(data as Buffer));
        return;
      }
      const text = String(data);
      // Answer pings so the server never closes us for silence during a long test.
      if (text === "2") ws.send("3");
      if (text.startsWith("0") && !open) {
        open = true;
        clearTimeout(timer);
        resolve({
          ws,
          received,
          closed,
          isOpen: () => open && ws.readyState === WebSocket.OPEN,
          send: (d) => {
            if (ws.readyState === WebSocket.OPEN) ws.send(d);
          },
        });
      }
    });
    ws.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Raw WebSocket already connected to a namespace (socket.io CONNECT sent and answered). */
export async function rawNamespace(port: number, nsp: string): Promise<RawSocket> {
  const raw = await rawWebSocket(port);
  raw.send(encodePacket({ type: 0, nsp }));
  const deadline = Date.now() + 5000;
  while (raw.received.length === 0 && raw.isOpen() && Date.now() < deadline) await sleep(5);
  return raw;
}

type HttpAnswer = Readonly<{ status: number; body: string }>;

function http(port: number, method: "GET" | "POST", path: string, body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: body === undefined ? {} : { "content-type": "text/plain;charset=UTF-8" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.setTimeout(5000, () => req.destroy(new Error("timeout")));
    req.end(body);
  });
}

export type RawPolling = Readonly<{
  sid: string;
  /** Posts one engine.io payload (binary packets as `b<base64>`, records separated by \x1e). */
  post: (payload: string) => Promise<HttpAnswer>;
  get: () => Promise<HttpAnswer>;
}>;

/** An engine.io long-polling session: handshake, then raw POST bodies. */
export async function rawPolling(port: number): Promise<RawPolling> {
  const open = await http(port, "GET", `${RELAY_PATH}?EIO=4&transport=polling`);
  const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
  const path = `${RELAY_PATH}?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`;
  return {
    sid,
    post: (payload) => http(port, "POST", path, payload),
    get: () => http(port, "GET", path),
  };
}

export const binaryRecord = (bytes: Buffer) => `b${bytes.toString("base64")}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
