import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Challenge,
  MAX_WAITING_PER_CLIENT,
  PROTOCOL_VERSION,
  type Queued,
  type Reply,
} from "../../shared/protocol/index.ts";
import { addressGroup } from "../../server/relay/client-address.ts";
import { activeChat, exchange, next, proof, request, survivorClient } from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

/**
 * Class: a per-address bound an attacker leaves by changing address (finding: behind a trusted
 * proxy, eight joins from eight IPv6 addresses of one /64, which any home connection or phone
 * is given whole, took eight queue places where one address gets MAX_WAITING_PER_CLIENT; a
 * /64 holds 2^64 addresses, so one bot filled the queue). Queue places are now counted per /64
 * for IPv6, and an IPv4 address counts the same written as IPv4-mapped IPv6.
 */
let h: Harness | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h?.close();
  h = null;
});

async function joinFrom(url: string, forwardedFor: string): Promise<string> {
  const s = survivorClient(url, ["websocket"], { "x-forwarded-for": forwardedFor }) as Socket;
  sockets.push(s);
  const reply = await request<Reply<Queued>>(s, "join", {
    version: PROTOCOL_VERSION,
    pow: await proof(await next<Challenge>(s, "challenge")),
    survivorKey: randomBytes(32),
    language: "en",
    partner: "demo",
  });
  return reply.ok ? "joined" : reply.error;
}

describe("queue places per address group", () => {
  it("IPv6 addresses of one /64 behind a trusted proxy share MAX_WAITING_PER_CLIENT places; another /64 has its own; a chat beside them carries on", async () => {
    h = await startRelay({ trustProxy: 1, maxWaitingPerClient: MAX_WAITING_PER_CLIENT });
    const chat = await activeChat(h.url, h.addStaff(principal("beside")));
    sockets.push(chat.staff, chat.survivor);
    const flood: string[] = [];
    for (let i = 1; i <= MAX_WAITING_PER_CLIENT + 4; i++) {
      // The client writes anything it likes first; the proxy appends the address it saw.
      flood.push(await joinFrom(h.url, `203.0.113.${i}, 2001:db8:5:7:${i.toString(16)}:0:0:${i}`));
    }
    expect(flood).toEqual([...Array(MAX_WAITING_PER_CLIENT).fill("joined"), ...Array(4).fill("queue-full")]);
    expect(await joinFrom(h.url, "2001:db8:5:8::1")).toBe("joined");
    expect(await exchange(chat, 0)).toEqual({
      replies: [{ ok: true }, { ok: true }],
      atStaff: 0,
      atSurvivor: 0,
    });
  });

  it("an IPv4 address written as IPv4-mapped IPv6 is the same address", async () => {
    h = await startRelay({ trustProxy: 1, maxWaitingPerClient: 2 });
    const seen = [];
    for (const a of [
      "198.51.100.7",
      "::ffff:198.51.100.7",
      "::FFFF:c633:6407",
      "0:0:0:0:0:ffff:198.51.100.7",
    ]) {
      seen.push(await joinFrom(h.url, a));
    }
    expect(seen).toEqual(["joined", "joined", "queue-full", "queue-full"]);
  });

  it("addressGroup: spellings of one /64 agree, IPv4 stays whole, anything else is kept as it is", () => {
    const g = addressGroup("2001:db8:5:7::1");
    for (const a of ["2001:DB8:5:7:ffff::", "2001:0db8:0005:0007:1:2:3:4", "2001:db8:5:7::1%eth0"])
      expect(addressGroup(a), a).toBe(g);
    expect(addressGroup("2001:db8:5:8::1")).not.toBe(g);
    expect(addressGroup("::1")).toBe(addressGroup("0:0:0:0:0:0:0:1"));
    expect(addressGroup("198.51.100.7")).toBe("198.51.100.7");
    expect(addressGroup("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(addressGroup("not an address")).toBe("not an address");
    expect(addressGroup(undefined)).toBe(undefined);
  });
});
