import type { Socket as NetSocket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF_NAMESPACE, SURVIVOR_NAMESPACE } from "../../shared/protocol/index.ts";
import { activeChat, exchange, joinAsSurvivor, next, survivorClient } from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";
import { binaryRecord, encodePacket, rawPolling, rawWebSocket, sleep } from "../support/raw-relay.ts";

/**
 * Class: namespace sockets multiplied on one engine.io connection (finding: socket.io refuses a
 * CONNECT for a namespace the connection is connected to, but not for one whose connect is still
 * in its middleware, so one long-polling POST of 270 KB holding 9,000 CONNECT packets opened
 * 9,000 survivor sockets; ten such POSTs grew the server by 460 MB). A connection may connect
 * once to each relay namespace; anything more closes it, and the sockets it opened with it.
 */
let h: Harness;
beforeAll(async () => {
  h = await startRelay();
});
afterAll(async () => {
  await h.close();
});

/** Sockets open on every namespace of the server, the main one `/` included. */
const sockets = () => [...h.io._nsps.values()].reduce((n, nsp) => n + nsp.sockets.size, 0);

/** Waits until the server's socket count stops changing (connects in flight have settled). */
async function settled(): Promise<number> {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const now = sockets();
    if (now === last) return now;
    last = now;
    await sleep(40);
  }
  return sockets();
}

describe("namespace connects on one connection", () => {
  it("a long-polling POST of 500 CONNECTs to /survivor opens at most one socket, then the connection is closed; a chat beside it carries on", async () => {
    const chat = await activeChat(h.url, h.addStaff(principal("poll")));
    const before = await settled();
    const poll = await rawPolling(h.port);
    const connect = binaryRecord(encodePacket({ type: 0, nsp: SURVIVOR_NAMESPACE }));
    await poll.post(Array(500).fill(connect).join("\x1e"));
    expect((await settled()) - before).toBeLessThanOrEqual(1);
    // The engine.io session is gone: its next poll carries the close packet, or it is unknown.
    const after = await poll.get();
    expect(after.status === 400 || after.body.split("\x1e").includes("1")).toBe(true);
    expect((await settled()) - before).toBe(0);
    const delivered = await exchange(chat, 0);
    expect(delivered).toEqual({ replies: [{ ok: true }, { ok: true }], atStaff: 0, atSurvivor: 0 });
    chat.staff.close();
    chat.survivor.close();
  });

  it("over WebSocket, 500 CONNECTs in one TCP write to each namespace, the main one and unknown ones open at most one socket", async () => {
    const before = await settled();
    for (const nsp of [SURVIVOR_NAMESPACE, STAFF_NAMESPACE, "/", "/nope"]) {
      const raw = await rawWebSocket(h.port);
      const tcp = (raw.ws as unknown as { _socket: NetSocket })._socket;
      tcp.cork();
      for (let i = 0; i < 500; i++) raw.send(encodePacket({ type: 0, nsp }));
      tcp.uncork();
      await Promise.race([raw.closed, sleep(2000)]);
      expect(raw.isOpen(), nsp).toBe(false);
      expect((await settled()) - before, nsp).toBe(0);
    }
  });

  it("a second CONNECT to the same namespace after the first was answered closes the connection; one to each namespace is allowed", async () => {
    const before = await settled();
    const raw = await rawWebSocket(h.port);
    raw.send(encodePacket({ type: 0, nsp: SURVIVOR_NAMESPACE }));
    raw.send(encodePacket({ type: 0, nsp: STAFF_NAMESPACE }));
    // Connected to /survivor (its challenge arrives), refused on /staff (no cookie): both answered.
    while (raw.received.length < 3 && raw.isOpen()) await sleep(10);
    expect(raw.isOpen()).toBe(true);
    expect((await settled()) - before).toBe(1);
    raw.send(encodePacket({ type: 0, nsp: STAFF_NAMESPACE }));
    await Promise.race([raw.closed, sleep(2000)]);
    expect(raw.isOpen()).toBe(false);
    expect((await settled()) - before).toBe(0);
  });

  it("socket.io-client is unaffected: a survivor that disconnects and connects again gets a new challenge, and still joins", async () => {
    const s = survivorClient(h.url, ["polling"]);
    await next(s, "challenge");
    s.disconnect();
    const again = next(s, "challenge");
    s.connect();
    await again;
    s.close();
    const joined = await joinAsSurvivor(h.url, {}, ["polling"]);
    expect(joined.queued.position).toBeGreaterThan(0);
    joined.socket.close();
  });
});
