import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SURVIVOR_NAMESPACE } from "../../shared/protocol/index.ts";
import { joinAsSurvivor } from "../support/relay-clients.ts";
import { type Harness, startRelay } from "../support/relay-harness.ts";
import { binaryRecord, encodePacket, rawPolling, rawWebSocket, sleep } from "../support/raw-relay.ts";

/**
 * Class: a length read from the wire that the decoder honours before checking it against the
 * message (finding: six bytes declaring a 4 GiB msgpack ext froze the whole process). Every
 * msgpack type with a length is sent with a lie, alone and nested inside a real packet, over
 * WebSocket and long-polling. The relay runs in this process, so a decoder that allocates or
 * loops over the declared length stalls the timer below.
 */
const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const be16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};

const HUGE = [2 ** 27, 2 ** 30, 2 ** 32 - 1];
const lies: { name: string; bytes: Buffer }[] = [];
for (const n of HUGE) {
  lies.push({
    name: `ext32 type 0, ${n}`,
    bytes: Buffer.concat([Buffer.from([0xc9]), be32(n), Buffer.from([0])]),
  });
  lies.push({
    name: `ext32 type 5, ${n}`,
    bytes: Buffer.concat([Buffer.from([0xc9]), be32(n), Buffer.from([5])]),
  });
  lies.push({ name: `bin32 ${n}`, bytes: Buffer.concat([Buffer.from([0xc6]), be32(n)]) });
  lies.push({ name: `str32 ${n}`, bytes: Buffer.concat([Buffer.from([0xdb]), be32(n)]) });
  lies.push({ name: `array32 ${n}`, bytes: Buffer.concat([Buffer.from([0xdd]), be32(n)]) });
  lies.push({ name: `map32 ${n}`, bytes: Buffer.concat([Buffer.from([0xdf]), be32(n)]) });
}
lies.push({
  name: "ext16 type 0",
  bytes: Buffer.concat([Buffer.from([0xc8]), be16(65535), Buffer.from([0])]),
});
lies.push({ name: "ext8 type 0", bytes: Buffer.from([0xc7, 255, 0]) });
lies.push({ name: "bin16", bytes: Buffer.concat([Buffer.from([0xc5]), be16(65535)]) });
lies.push({ name: "str16", bytes: Buffer.concat([Buffer.from([0xda]), be16(65535)]) });
lies.push({ name: "array16", bytes: Buffer.concat([Buffer.from([0xdc]), be16(65535)]) });
lies.push({ name: "map16", bytes: Buffer.concat([Buffer.from([0xde]), be16(65535)]) });
lies.push({ name: "deep nesting", bytes: Buffer.alloc(5000, 0x91) });

/** The same lie as the payload of an otherwise valid event on the survivor namespace. */
function nested(lie: Buffer): Buffer {
  const prefix = encodePacket({ type: 2, nsp: SURVIVOR_NAMESPACE, data: ["frame", 0] });
  // The encoded event ends with the fixint 0; put the lie in its place.
  return Buffer.concat([prefix.subarray(0, prefix.length - 1), lie]);
}

/** Largest gap between ticks of a 5 ms timer while `work` runs: how long the loop was blocked. */
async function worstStall(work: () => Promise<void>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last);
    last = t;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return worst;
}

let h: Harness;
beforeAll(async () => {
  h = await startRelay();
});
afterAll(async () => {
  await h.close();
});

describe("lengths from the wire", () => {
  it("over WebSocket: every lying length closes only that connection, at once, without stalling the process", async () => {
    const results: { name: string; closedMs: number }[] = [];
    const stall = await worstStall(async () => {
      for (const lie of lies) {
        for (const bytes of [lie.bytes, nested(lie.bytes)]) {
          const raw = await rawWebSocket(h.port);
          const sent = performance.now();
          raw.send(bytes);
          await Promise.race([raw.closed, sleep(2000)]);
          results.push({
            name: lie.name,
            closedMs: raw.isOpen() ? Number.POSITIVE_INFINITY : performance.now() - sent,
          });
          raw.ws.terminate();
        }
      }
    });
    for (const r of results) expect(r.closedMs, r.name).toBeLessThan(1000);
    expect(stall).toBeLessThan(250);
  });

  it("over long-polling: the same lies as POST bodies are refused without stalling", async () => {
    const stall = await worstStall(async () => {
      for (const lie of lies) {
        const poll = await rawPolling(h.port);
        await poll.post(binaryRecord(lie.bytes));
        // The engine.io session is closed: the next poll gets the close packet, or it is unknown.
        const next = await poll.get();
        expect(next.status === 400 || next.body.split("\x1e").includes("1"), lie.name).toBe(true);
      }
    });
    expect(stall).toBeLessThan(250);
  });

  it("a real survivor still joins after the attack", async () => {
    const s = await joinAsSurvivor(h.url);
    expect(s.queued.position).toBeGreaterThan(0);
    (s.socket as Socket).close();
  });
});
