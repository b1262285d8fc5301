import { STAFF_KDF_PROFILE_FOR_TESTING } from "../../../../shared/crypto/staff/index.ts";
import type {
  Ack,
  Frame,
  SessionId,
  StaffId,
  StaffStatus,
  WrapupToken,
} from "../../../../shared/protocol/index.ts";
import type {
  LeaveReply,
  Reply,
  StaffEvents,
  StaffTransport,
  ClearSilentReply,
  TakeReply,
} from "../../../../console/src/adapters/staff-socket.ts";
import {
  createCryptoClient,
  type CryptoClient,
  type WorkerPort,
} from "../../../../console/src/crypto/crypto-client.ts";
import { createKeyring } from "../../../../console/src/crypto/keyring.ts";
import type { FetchLike } from "../../../../console/src/adapters/http-client.ts";
import type {
  AskReply,
  SideEvents,
  SideReply,
  SideTransport,
} from "../../../../console/src/adapters/side-socket.ts";

/** The real keyring behind a fake worker boundary (async, structured-clone-like copies). */
export function inProcessCrypto(now: () => number): CryptoClient & { spawned: () => number } {
  let spawned = 0;
  const client = createCryptoClient(() => {
    spawned++;
    const keyring = createKeyring({ profile: STAFF_KDF_PROFILE_FOR_TESTING, now });
    const port: WorkerPort = {
      onmessage: null,
      onerror: null,
      postMessage: (message) => {
        const copy = structuredClone(message);
        setTimeout(
          () =>
            port.onmessage?.({ data: structuredClone({ id: copy.id, reply: keyring.handle(copy.request) }) }),
          0,
        );
      },
      terminate: () => {
        keyring.handle({ type: "lock" });
        port.postMessage = () => {};
      },
    };
    return port;
  });
  return { ...client, spawned: () => spawned };
}

type Handlers = { [E in keyof StaffEvents]?: ((payload: StaffEvents[E]) => void)[] };

/** The wrap-up token the fake relay's `leave` reply carries. */
export const WRAPUP_TOKEN = "W".repeat(43) as WrapupToken;

/** A relay stand-in: records what the console sends, lets the test push relay events. */
export class FakeTransport implements StaffTransport {
  readonly frames: Frame[] = [];
  readonly acks: Ack[] = [];
  readonly requests: { event: string; payload: unknown }[] = [];
  takeReply: () => TakeReply = () => ({ ok: false, error: "no-one-waiting" });
  reply: (event: string) => Reply = () => ({ ok: true });
  closed = false;
  private handlers: Handlers = {};
  private connection: ((connected: boolean, recovered: boolean) => void)[] = [];
  private loginLost: (() => void)[] = [];
  private replacedBy: (() => void)[] = [];
  /** The relay's answer to each frame (taken, unless a test says otherwise). */
  frameReply: (frame: Frame) => Reply = () => ({ ok: true });

  on = <E extends keyof StaffEvents>(event: E, handler: (payload: StaffEvents[E]) => void) => {
    const list = (this.handlers[event] ?? []) as ((payload: StaffEvents[E]) => void)[];
    list.push(handler);
    (this.handlers as Record<string, unknown>)[event] = list;
  };
  onConnection = (handler: (connected: boolean, recovered: boolean) => void) => {
    this.connection.push(handler);
  };
  onLoginLost = (handler: () => void) => {
    this.loginLost.push(handler);
  };
  loseLogin(): void {
    for (const h of this.loginLost) h();
  }
  onReplaced = (handler: () => void) => {
    this.replacedBy.push(handler);
  };
  /** Another console page took the desk. */
  replace(): void {
    for (const h of this.replacedBy) h();
  }
  emit<E extends keyof StaffEvents>(event: E, payload: StaffEvents[E]): void {
    for (const h of (this.handlers[event] ?? []) as ((p: StaffEvents[E]) => void)[]) h(payload);
  }
  connect(recovered: boolean): void {
    for (const h of this.connection) h(true, recovered);
  }
  private async request(event: string, payload: unknown): Promise<Reply> {
    this.requests.push({ event, payload });
    return this.reply(event);
  }
  status = (status: StaffStatus) => this.request("status", { status });
  take = async (sessionId?: SessionId) => {
    this.requests.push({ event: "take", payload: { sessionId } });
    return this.takeReply();
  };
  accept = (sessionId: SessionId, epoch: number, handshake: Uint8Array) =>
    this.request("accept", { sessionId, epoch, handshake });
  transfer = (sessionId: SessionId, to: StaffId, note: Uint8Array | null) =>
    this.request("transfer", { sessionId, to, note });
  reclaim = (sessionId: SessionId, to: "me" | "queue") => this.request("reclaim", { sessionId, to });
  leaveReply: () => LeaveReply = () => ({ ok: true, wrapup: WRAPUP_TOKEN });
  leave = async (sessionId: SessionId) => {
    this.requests.push({ event: "leave", payload: { sessionId } });
    return this.leaveReply();
  };
  clearSilentReply: () => ClearSilentReply = () => ({ ok: true, cleared: 0 });
  clearSilent = async () => {
    this.requests.push({ event: "clear-silent", payload: {} });
    return this.clearSilentReply();
  };
  frame = async (frame: Frame) => {
    this.frames.push(frame);
    return this.frameReply(frame);
  };
  ack = (ack: Ack) => {
    this.acks.push(ack);
  };
  side = new FakeSideTransport();
  close = () => {
    this.closed = true;
  };
}

type SideHandlers = { [E in keyof SideEvents]?: ((payload: SideEvents[E]) => void)[] };

/** The relay's side-conversation events: records what the console sends, lets the test push. */
export class FakeSideTransport implements SideTransport {
  readonly sent: { event: string; payload: Record<string, unknown> }[] = [];
  askReply: () => AskReply = () => ({ ok: true, requestId: "UlVSUlJSUlJSUlJSUlJSUg" as never });
  reply: (event: string) => SideReply = () => ({ ok: true });
  private handlers: SideHandlers = {};
  on = <E extends keyof SideEvents>(event: E, handler: (payload: SideEvents[E]) => void) => {
    const list = (this.handlers[event] ?? []) as ((payload: SideEvents[E]) => void)[];
    list.push(handler);
    (this.handlers as Record<string, unknown>)[event] = list;
  };
  emit<E extends keyof SideEvents>(event: E, payload: SideEvents[E]): void {
    for (const h of (this.handlers[event] ?? []) as ((p: SideEvents[E]) => void)[]) h(payload);
  }
  private async record(event: string, payload: Record<string, unknown>): Promise<SideReply> {
    this.sent.push({ event, payload });
    return this.reply(event);
  }
  ask = async (sessionId: SessionId) => {
    this.sent.push({ event: "side-ask", payload: { sessionId } });
    return this.askReply();
  };
  open = (requestId: string, hello: Uint8Array) => this.record("side-open", { requestId, hello });
  join = (requestId: string, hello: Uint8Array) => this.record("side-join", { requestId, hello });
  send = (requestId: string, seq: number, ciphertext: Uint8Array) =>
    this.record("side-message", { requestId, seq, ciphertext });
  end = (requestId: string) => this.record("side-end", { requestId });
}

export type Route = { status: number; body?: unknown };
export type Recorded = { method: string; path: string; headers: Record<string, string>; body: unknown };

/** A fetch stand-in answering from a route table keyed "METHOD /path" (query included). */
export function fakeFetch(
  routes: Record<string, Route | ((body: unknown) => Route)>,
): FetchLike & { calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fn = async (input: string, init: RequestInit) => {
    const method = init.method ?? "GET";
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    calls.push({ method, path: input, headers: { ...(init.headers as Record<string, string>) }, body });
    const route = routes[`${method} ${input}`] ?? routes[`${method} ${input.split("?")[0]}`];
    const answer =
      typeof route === "function" ? route(body) : (route ?? { status: 404, body: { error: "not-found" } });
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "Content-Type": "application/json" },
    });
  };
  return Object.assign(fn, { calls });
}

export const settle = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` passes (bounded: ~2 s), for flows crossing the fake worker's timers. */
export async function eventually(check: () => void, tries = 200): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      check();
      return;
    } catch (e) {
      if (i >= tries) throw e;
      await settle(10);
    }
  }
}
