import type { Socket as NetSocket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Frame, MAX_FRAME_BYTES, type Reply, SURVIVOR_NAMESPACE } from "../../shared/protocol/index.ts";
import { MAX_UNREAD_BYTES } from "../../server/relay/unread-limit.ts";
import { activeChat, collect, exchange, opaque, request } from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";
import { binaryRecord, encodePacket, rawPolling, rawWebSocket, sleep } from "../support/raw-relay.ts";

/**
 * Class: output queued for a client that sends and never reads (finding: every refused request
 * is answered, and engine.io queued the answers without bound; 27 MB of refused frames posted
 * on one long-polling session that never polled, kept alive by pongs nobody asked for, held
 * 305 MB on the server). Past MAX_UNREAD_BYTES unread, the connection is dropped.
 */
let h: Harness;
beforeAll(async () => {
  h = await startRelay();
});
const sockets: { close: () => void }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  // Each test starts with no survivor socket left on the server.
  await expect.poll(() => h.relay.counts().survivors).toBe(0);
});
afterAll(async () => {
  await h.close();
});

/** A frame for a session this socket does not hold, without a reply: refused with an `error` event. */
const refused = encodePacket({
  type: 2,
  nsp: SURVIVOR_NAMESPACE,
  data: ["frame", { sessionId: "A".repeat(22), epoch: 0, seq: 1, ciphertext: Buffer.alloc(8) }],
});

describe("a client that never reads", () => {
  it("over long-polling: posting requests without polling drops the session once its answers pass the bound; a chat beside it carries on", async () => {
    const chat = await activeChat(h.url, h.addStaff(principal("poll")));
    sockets.push(chat.staff, chat.survivor);
    const poll = await rawPolling(h.port);
    expect((await poll.post(binaryRecord(encodePacket({ type: 0, nsp: SURVIVOR_NAMESPACE })))).status).toBe(
      200,
    );
    const body = Array(1500).fill(binaryRecord(refused)).join("\x1e");
    const statuses: number[] = [];
    // Each answer is at least PACKET_OVERHEAD: enough posts to queue twice the bound.
    const posts = Math.ceil((2 * MAX_UNREAD_BYTES) / (1500 * 256));
    // A dropped session's POST is answered 400, or cut off (0) if it was being read.
    const post = (payload: string) =>
      poll.post(payload).then(
        (a) => a.status,
        () => 0,
      );
    for (let i = 0; i < posts; i++) {
      statuses.push(await post(body));
      // A pong nobody asked for keeps an engine.io session alive without a single poll.
      statuses.push(await post("3"));
    }
    // The session is gone (400: unknown sid) rather than holding every answer for the next poll.
    const after = await poll.get();
    expect(after.status).toBe(400);
    expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(0);
    expect(h.relay.counts().survivors).toBe(1);
    expect(await exchange(chat, 0)).toEqual({
      replies: [{ ok: true }, { ok: true }],
      atStaff: 0,
      atSurvivor: 0,
    });
  });

  it("over WebSocket: a client that stops reading is dropped once its answers pass the bound", async () => {
    const raw = await rawWebSocket(h.port);
    raw.send(encodePacket({ type: 0, nsp: SURVIVOR_NAMESPACE }));
    while (raw.received.length < 2) await sleep(5);
    const tcp = (raw.ws as unknown as { _socket: NetSocket })._socket;
    // Stops reading: the kernel's buffers fill, then the server's.
    tcp.pause();
    let sent = 0;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && sent < 400_000 && !tcp.destroyed) {
      tcp.cork();
      for (let i = 0; i < 2000; i++) raw.send(refused);
      tcp.uncork();
      sent += 2000;
      await sleep(1);
      if (h.relay.counts().survivors === 0) break;
    }
    console.log(`unread output: dropped after ${sent} refused frames`);
    expect(h.relay.counts().survivors).toBe(0);
    raw.ws.terminate();
  });

  it("a counselor who reads is never dropped: rounds of the largest frames adding up to more than the bound all arrive", async () => {
    // Rounds of 120 frames (500 KB) as fast as they go: a bucket larger than every frame sent, so
    // only the unread bound could refuse one (a bucket of 1,000 ran dry on a quiet machine).
    const fast = await startRelay({ rateLimit: { burst: 10_000, perSecond: 10_000 } });
    try {
      const chat = await activeChat(fast.url, fast.addStaff(principal("reader")));
      sockets.push(chat.staff, chat.survivor);
      const { sessionId } = chat;
      const received = collect<Frame>(chat.staff, "frame");
      const perRound = 120;
      const rounds = Math.ceil((1.5 * MAX_UNREAD_BYTES) / (perRound * MAX_FRAME_BYTES));
      let seq = 0;
      for (let round = 0; round < rounds; round++) {
        const replies = await Promise.all(
          Array.from({ length: perRound }, () =>
            request<Reply>(chat.survivor, "frame", {
              sessionId,
              epoch: 0,
              seq: seq++,
              ciphertext: opaque(MAX_FRAME_BYTES),
            }),
          ),
        );
        expect(replies.filter((r) => !r.ok)).toEqual([]);
        await expect.poll(() => received.length).toBe(seq);
      }
      expect(chat.staff.connected).toBe(true);
      expect(chat.survivor.connected).toBe(true);
    } finally {
      await fast.close();
    }
  });
});
