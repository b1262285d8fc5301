import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * The frame's socket adapter over a stand-in for socket.io's client: what it does when the
 * relay's middleware refuses a connection (socket.io then leaves the socket inactive and never
 * tries again on its own).
 */
type Listener = (...args: unknown[]) => void;
class FakeSocket {
  active = true;
  connected = false;
  connects = 0;
  readonly listeners = new Map<string, Listener[]>();
  readonly io = { reconnection: () => undefined, engine: undefined };
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  connect() {
    this.connects++;
    this.active = true;
    return this;
  }
  disconnect() {
    this.active = false;
    this.connected = false;
    return this;
  }
  removeAllListeners() {
    this.listeners.clear();
    return this;
  }
}

const sockets: FakeSocket[] = [];
vi.mock("socket.io-client", () => ({
  io: () => {
    const socket = new FakeSocket();
    sockets.push(socket);
    return socket;
  },
}));

const { connectRelay } = await import("../../../widget/frame/adapters/relay-socket.ts");

afterEach(() => {
  vi.useRealTimers();
  sockets.length = 0;
});

/** What socket.io does on a middleware refusal: the socket goes inactive, then `connect_error`. */
function refuse(socket: FakeSocket) {
  socket.active = false;
  socket.fire("connect_error", new Error("shutting-down"));
}

describe("the frame's relay socket", () => {
  it("connects again after the relay refused it (a node stopping), backing off, and counts the next connect as a reconnection", () => {
    vi.useFakeTimers();
    const relay = connectRelay();
    const socket = sockets[0] as FakeSocket;
    const seen: [boolean, boolean][] = [];
    relay.onConnection((connected, reconnect) => seen.push([connected, reconnect]));
    socket.connected = true;
    socket.fire("connect");
    socket.connected = false;
    socket.fire("disconnect", "transport close");
    refuse(socket);
    vi.advanceTimersByTime(249);
    expect(socket.connects).toBe(0);
    vi.advanceTimersByTime(1);
    expect(socket.connects).toBe(1);
    refuse(socket);
    vi.advanceTimersByTime(999);
    expect(socket.connects).toBe(1);
    vi.advanceTimersByTime(1);
    expect(socket.connects).toBe(2);
    socket.connected = true;
    socket.fire("connect");
    expect(seen.at(-1)).toEqual([true, true]);
  });

  it("leaves a network error to socket.io's own reconnection, and stops trying once closed", () => {
    vi.useFakeTimers();
    const relay = connectRelay();
    const socket = sockets[0] as FakeSocket;
    socket.fire("connect_error", new Error("xhr poll error"));
    vi.advanceTimersByTime(10_000);
    expect(socket.connects).toBe(0);
    refuse(socket);
    relay.close();
    vi.advanceTimersByTime(10_000);
    expect(socket.connects).toBe(0);
  });
});
