import { describe, expect, it } from "vitest";
import { createCryptoClient, type WorkerPort } from "../../../../console/src/crypto/crypto-client.ts";
import type { WorkerInbound } from "../../../../console/src/crypto/rpc.ts";

/** A port that answers only when told to, so tests can hold requests in flight. */
function heldPort() {
  const inbox: WorkerInbound[] = [];
  let terminated = false;
  const port: WorkerPort = {
    onmessage: null,
    onerror: null,
    postMessage: (m) => inbox.push(m),
    terminate: () => {
      terminated = true;
    },
  };
  return { port, inbox, terminated: () => terminated };
}

describe("crypto client", () => {
  it("matches replies to requests by id, whatever their order", async () => {
    const held = heldPort();
    const client = createCryptoClient(() => held.port);
    const first = client.call({ type: "unacked", sessionId: "a" });
    const second = client.call({ type: "unacked", sessionId: "b" });
    const [m1, m2] = held.inbox;
    if (!m1 || !m2) throw new Error("requests not posted");
    held.port.onmessage?.({ data: { id: m2.id, reply: { ok: true, value: { frames: [] } } } });
    held.port.onmessage?.({ data: { id: m1.id, reply: { ok: false, error: "unknown-session" } } });
    expect(await first).toEqual({ ok: false, error: "unknown-session" });
    expect(await second).toEqual({ ok: true, value: { frames: [] } });
  });

  it("terminate ends the worker, fails what was in flight, and the next call starts a fresh worker", async () => {
    const ports = [heldPort(), heldPort()];
    let spawned = 0;
    const client = createCryptoClient(() => ports[spawned++]!.port);
    const pending = client.call({ type: "lock" });
    client.terminate();
    expect(await pending).toEqual({ ok: false, error: "locked" });
    expect(ports[0]!.terminated()).toBe(true);
    void client.call({ type: "lock" });
    expect(spawned).toBe(2);
    expect(ports[1]!.inbox).toHaveLength(1);
  });

  it("a crashed worker fails pending calls instead of hanging them", async () => {
    const held = heldPort();
    const client = createCryptoClient(() => held.port);
    const pending = client.call({ type: "lock" });
    held.port.onerror?.(new Event("error"));
    expect(await pending).toEqual({ ok: false, error: "crypto-failed" });
  });
});
