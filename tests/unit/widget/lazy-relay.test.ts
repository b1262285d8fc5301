import { describe, expect, it, vi } from "vitest";
import type { PartnerId } from "../../../shared/protocol/ids.ts";
import { lazyRelay } from "../../../widget/frame/adapters/lazy-relay.ts";
import type { Queued, RelayTransport } from "../../../widget/frame/adapters/relay-socket.ts";
import { fakeRelay } from "./fake-relay.ts";
import { resumeToken, sessionId as session } from "./state/fixtures.ts";

const queued = (): Queued => ({
  ok: true,
  sessionId: session,
  resumeToken,
  position: 1,
  estimatedWaitSeconds: 0,
  counselorAvailable: true,
});

/** A chunk that arrives (or fails) when the test says so. */
function chunk() {
  let arrive: (connect: () => RelayTransport) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const loaded = new Promise<() => RelayTransport>((resolve, reject) => {
    arrive = resolve;
    fail = reject;
  });
  return { load: () => loaded, arrive, fail };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the relay client loaded after the entry", () => {
  it("replays calls made before its chunk arrived, in order, then passes calls straight through", async () => {
    const relay = fakeRelay({ join: queued });
    const connect = vi.fn(() => relay.transport);
    const { load, arrive } = chunk();
    const transport = lazyRelay(load)();
    const challenges: string[] = [];
    const connections: boolean[] = [];
    transport.on("challenge", (c) => challenges.push(c.challenge));
    transport.onConnection((connected) => connections.push(connected));
    transport.ack(session, 0, 1);
    const joined = transport.join({
      challenge: "c",
      nonce: new Uint8Array(1),
      survivorKey: new Uint8Array(32),
      language: "en",
      partner: "demo" as PartnerId,
    });
    await settle();
    expect(connect).not.toHaveBeenCalled();
    expect(relay.sent).toEqual([]);

    arrive(connect);
    expect(await joined).toEqual(queued());
    expect(connect).toHaveBeenCalledTimes(1);
    expect(relay.sent.map((s) => s.type)).toEqual(["ack", "join"]);
    relay.connect(false);
    relay.emit("challenge", { challenge: "x", difficulty: 1 } as never);
    expect(connections).toEqual([true]);
    expect(challenges).toEqual(["x"]);

    transport.stillWaiting(session);
    transport.close();
    expect(relay.sent.map((s) => s.type)).toEqual(["ack", "join", "waiting", "close"]);
  });

  it("never connects when closed before its chunk arrived", async () => {
    const relay = fakeRelay({ join: queued });
    const connect = vi.fn(() => relay.transport);
    const { load, arrive } = chunk();
    const transport = lazyRelay(load)();
    transport.frame(session, 0, 1, new Uint8Array(3));
    transport.closeNow();
    arrive(connect);
    await settle();
    expect(connect).not.toHaveBeenCalled();
    expect(await transport.leave(session, "wiped")).toBeUndefined();
  });

  it("reports a chunk that could not be had as a connection that failed, and fails its requests", async () => {
    const { load, fail } = chunk();
    const transport = lazyRelay(load)();
    const connections: boolean[] = [];
    transport.onConnection((connected) => connections.push(connected));
    const resumed = transport.resume(session, resumeToken);
    fail(new Error("offline"));
    expect(await resumed).toEqual({ ok: false, error: "internal" });
    expect(connections).toEqual([false]);
    // Later handlers hear it at once.
    transport.onConnection((connected) => connections.push(connected));
    expect(connections).toEqual([false, false]);
  });

  it("asks for a chunk that could not be had again, keeping the handlers registered before", async () => {
    vi.useFakeTimers();
    try {
      const relay = fakeRelay({ join: queued });
      let calls = 0;
      const load = () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error("offline")) : Promise.resolve(() => relay.transport);
      };
      const transport = lazyRelay(load)();
      const connections: boolean[] = [];
      transport.onConnection((connected) => connections.push(connected));
      const challenges: unknown[] = [];
      transport.on("challenge", (c) => challenges.push(c));
      await vi.advanceTimersByTimeAsync(0);
      expect(connections).toEqual([false]);
      // A request while it is down fails at once, like a relay that does not answer.
      expect(await transport.resume(session, resumeToken)).toEqual({ ok: false, error: "internal" });
      await vi.advanceTimersByTimeAsync(1000);
      expect(calls).toBe(2);
      relay.emit("challenge", { challenge: "c", difficulty: 8, expiresAt: 1 });
      expect(challenges).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
