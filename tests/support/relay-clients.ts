import { expect } from "vitest";
import { randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import { solve } from "../../shared/pow/index.ts";
import {
  type Challenge,
  type Frame,
  PROTOCOL_VERSION,
  type Queued,
  type QueuePosition,
  type Reply,
  STAFF_CLIENT_OPTIONS,
  STAFF_NAMESPACE,
  SURVIVOR_CLIENT_OPTIONS,
  SURVIVOR_NAMESPACE,
  type StaffClientToServer,
  type StaffServerToClient,
  type SurvivorClientToServer,
  type SurvivorServerToClient,
} from "../../shared/protocol/index.ts";

export type SurvivorClient = Socket<SurvivorServerToClient, SurvivorClientToServer>;
export type StaffClient = Socket<StaffClientToServer, StaffServerToClient>;

const TIMEOUT = 5000;

type Emitter = {
  once: (event: string, listener: (value: never) => void) => unknown;
  on: (event: string, listener: (value: unknown) => void) => unknown;
};

/** Connects like the widget will: transport.ts options plus the msgpack parser. */
export function survivorClient(
  url: string,
  transports: ("websocket" | "polling")[] = ["websocket"],
  /** Handshake headers, e.g. an `x-forwarded-for` for a relay behind a trusted proxy. */
  extraHeaders?: Record<string, string>,
): SurvivorClient {
  return io(`${url}${SURVIVOR_NAMESPACE}`, {
    ...SURVIVOR_CLIENT_OPTIONS,
    transports,
    ...(extraHeaders ? { extraHeaders } : {}),
    parser: msgpackParser,
    forceNew: true,
    reconnection: false,
  });
}

/** `auth`: the handshake's desk (`{ desk, fresh }`, as the console sends it); none by default. */
export function staffClient(url: string, cookie?: string, auth?: Record<string, unknown>): StaffClient {
  return io(`${url}${STAFF_NAMESPACE}`, {
    ...STAFF_CLIENT_OPTIONS,
    parser: msgpackParser,
    forceNew: true,
    reconnection: false,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
    ...(auth ? { auth } : {}),
  });
}

/** The next `event` on a socket, or a rejection after a timeout. */
export function next<T>(
  socket: Socket | SurvivorClient | StaffClient,
  event: string,
  ms = TIMEOUT,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), ms);
    (socket as unknown as Emitter).once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Collects every payload of an event from now on. */
export function collect<T>(socket: Socket | SurvivorClient | StaffClient, event: string): T[] {
  const seen: T[] = [];
  (socket as unknown as Emitter).on(event, (v: unknown) => seen.push(v as T));
  return seen;
}

/** Emits with an acknowledgement and resolves with the reply (raw: tests send bad payloads too). */
export function request<R = Reply<Record<string, unknown>>>(
  socket: Socket,
  event: string,
  payload: unknown,
): Promise<R> {
  return (
    socket.timeout(TIMEOUT) as unknown as { emitWithAck: (e: string, p: unknown) => Promise<R> }
  ).emitWithAck(event, payload);
}

/**
 * The network goes away under a client (the relay sees `transport close`), unlike
 * `socket.disconnect()`, which the relay takes as the survivor leaving. No reconnect follows.
 */
export function dropNetwork(socket: Socket | SurvivorClient | StaffClient): void {
  socket.io.reconnection(false);
  socket.io.engine.close();
}

export async function connected(socket: Socket): Promise<void> {
  if (socket.connected) return;
  await next(socket, "connect");
}

/** Solves a challenge the relay sent (throws if it cannot). */
export async function proof(challenge: Challenge): Promise<{ challenge: string; nonce: Buffer }> {
  const nonce = await solve(challenge.challenge);
  if (!nonce.ok) throw new Error(`pow ${nonce.error}`);
  return { challenge: challenge.challenge, nonce: Buffer.from(nonce.value) };
}

/** `positions` collects every position push from before the join reply. */
export type Joined = Readonly<{
  socket: SurvivorClient;
  queued: Queued;
  key: Buffer;
  positions: QueuePosition[];
}>;

/** Connects a survivor (over WebSocket unless told), solves the PoW and joins the queue. */
export async function joinAsSurvivor(
  url: string,
  fields: { language?: string; partner?: string } = {},
  transports: ("websocket" | "polling")[] = ["websocket"],
  extraHeaders?: Record<string, string>,
): Promise<Joined> {
  const socket = survivorClient(url, transports, extraHeaders);
  const challenge = await next<Challenge>(socket, "challenge");
  const key = randomBytes(32);
  const positions = collect<QueuePosition>(socket, "position");
  const reply = await request<Reply<Queued>>(socket as Socket, "join", {
    version: PROTOCOL_VERSION,
    pow: await proof(challenge),
    survivorKey: key,
    language: fields.language ?? "en",
    partner: fields.partner ?? "demo",
  });
  if (!reply.ok) throw new Error(`join refused: ${reply.error}`);
  return { socket, queued: reply, key, positions };
}

export async function connectStaff(url: string, cookie: string, status: "available" | "away" = "available") {
  const socket = staffClient(url, cookie);
  await connected(socket as Socket);
  const reply = await request(socket as Socket, "status", { status });
  if (!reply.ok) throw new Error(`status refused: ${reply.error}`);
  return socket;
}

export const opaque = (n: number) => randomBytes(n);

/**
 * A chat in the `active` state: a counselor (`cookie`) connects `away`, a survivor joins, the
 * counselor takes and accepts it (the handshake bytes are opaque to the relay). The counselor's
 * socket has spent three events (status, take, accept) of its rate-limit bucket.
 */
export async function activeChat(url: string, cookie: string) {
  const staff = await connectStaff(url, cookie, "away");
  const survivor = await joinAsSurvivor(url);
  const sessionId = survivor.queued.sessionId;
  const taken = await request(staff as Socket, "take", { sessionId });
  if (!taken.ok) throw new Error(`take refused: ${taken.error}`);
  const told = next(survivor.socket, "accepted");
  const accepted = await request(staff as Socket, "accept", { sessionId, epoch: 0, handshake: opaque(64) });
  if (!accepted.ok) throw new Error(`accept refused: ${accepted.error}`);
  await told;
  return { staff: staff as Socket, survivor: survivor.socket as Socket, sessionId };
}
/** What a one-time wrap-up token in a staff `ended` (or `leave` reply) looks like. */
export const WRAPUP_TOKEN = expect.stringMatching(/^[A-Za-z0-9_-]{43}$/);

/**
 * One frame each way through an active chat, the replies and the frames received: a chat that
 * an attack running beside it must leave working. Delivery is what is checked, never timing.
 */
export async function exchange(
  chat: Readonly<{ staff: Socket; survivor: Socket; sessionId: string }>,
  seq: number,
): Promise<{ replies: unknown[]; atStaff: number; atSurvivor: number }> {
  const { sessionId } = chat;
  const atStaff = next<Frame>(chat.staff, "frame", 5000);
  const atSurvivor = next<Frame>(chat.survivor, "frame", 5000);
  const replies = await Promise.all([
    request(chat.survivor, "frame", { sessionId, epoch: 0, seq, ciphertext: opaque(40) }),
    request(chat.staff, "frame", { sessionId, epoch: 0, seq, ciphertext: opaque(40) }),
  ]);
  return { replies, atStaff: (await atStaff).seq, atSurvivor: (await atSurvivor).seq };
}
