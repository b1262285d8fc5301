import type { Socket as NetSocket } from "node:net";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PROTOCOL_VERSION,
  RESUME_TOKEN_CHARS,
  SESSION_ID_CHARS,
  SURVIVOR_NAMESPACE,
} from "../../shared/protocol/index.ts";
import { decodeMsgpack } from "../../server/relay/msgpack-decode.ts";
import { MAX_QUEUED_PER_SOCKET } from "../../server/relay/survivor-handlers.ts";
import {
  activeChat,
  exchange,
  joinAsSurvivor,
  next,
  request,
  survivorClient,
} from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";
import { encodePacket, rawNamespace, sleep } from "../support/raw-relay.ts";

/**
 * Class: one node-wide queue filled by sockets that each stay within their own rate limit
 * (finding: the relay runs joins, resumes, keep-alives and leaves one after another; 150 sockets
 * sending 60 `resume`s each, all within their token buckets, put 9,000 store reads ahead of a
 * real survivor's `join`, which waited a second with Redis, and a few hundred such sockets grow
 * the queue without end). A socket may have MAX_QUEUED_PER_SOCKET requests there at once.
 */
let h: Harness;
beforeAll(async () => {
  h = await startRelay();
});
afterAll(async () => {
  await h.close();
});

const resume = {
  version: PROTOCOL_VERSION,
  sessionId: "A".repeat(SESSION_ID_CHARS),
  resumeToken: "B".repeat(RESUME_TOKEN_CHARS),
};

type Packet = { type: number; id?: number; data?: unknown[] };

describe("the relay's serial queue", () => {
  it("ten resumes read at once from one socket: MAX_QUEUED_PER_SOCKET are run, the rest refused rate-limited at once", async () => {
    const raw = await rawNamespace(h.port, SURVIVOR_NAMESPACE);
    const tcp = (raw.ws as unknown as { _socket: NetSocket })._socket;
    const seen = raw.received.length;
    tcp.cork();
    for (let id = 1; id <= 10; id++)
      raw.send(encodePacket({ type: 2, nsp: SURVIVOR_NAMESPACE, data: ["resume", resume], id }));
    tcp.uncork();
    const replies = () =>
      raw.received
        .slice(seen)
        .map((b) => decodeMsgpack(b) as Packet)
        .filter((p) => p.type === 3);
    for (let i = 0; i < 200 && replies().length < 10; i++) await sleep(10);
    const errors = replies().map((p) => (p.data?.[0] as { error?: string } | undefined)?.error);
    expect(errors.filter((e) => e === "resume-failed")).toHaveLength(MAX_QUEUED_PER_SOCKET);
    expect(errors.filter((e) => e === "rate-limited")).toHaveLength(10 - MAX_QUEUED_PER_SOCKET);
    raw.ws.terminate();
  });

  it("a flood of resumes from 100 sockets is mostly refused at once; a survivor still joins and a chat beside it carries on", async () => {
    const chat = await activeChat(h.url, h.addStaff(principal("beside")));
    const bots = Array.from({ length: 100 }, () => survivorClient(h.url) as Socket);
    await Promise.all(bots.map((b) => next(b, "challenge")));
    const flood = bots.flatMap((b) =>
      Array.from({ length: 50 }, () => request<{ ok: boolean; error?: string }>(b, "resume", resume)),
    );
    const joined = await joinAsSurvivor(h.url);
    expect(joined.queued.position).toBeGreaterThan(0);
    expect(await exchange(chat, 0)).toEqual({
      replies: [{ ok: true }, { ok: true }],
      atStaff: 0,
      atSurvivor: 0,
    });
    const replies = await Promise.all(flood);
    const limited = replies.filter((r) => r.error === "rate-limited").length;
    expect(replies.filter((r) => r.error !== "rate-limited" && r.error !== "resume-failed")).toEqual([]);
    expect(limited).toBeGreaterThan(replies.length / 2);
    for (const s of [...bots, joined.socket as Socket, chat.staff, chat.survivor]) s.close();
  });
});
