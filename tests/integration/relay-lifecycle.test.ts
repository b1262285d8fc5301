import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Assigned,
  type Challenge,
  type Frame,
  type PeerStatus,
  POW_MIN_DIFFICULTY,
  PROTOCOL_VERSION,
  type Queued,
  type Reply,
  type StaffEnded,
  type SurvivorEnded,
  type Transferring,
} from "../../shared/protocol/index.ts";
import {
  collect,
  connectStaff,
  joinAsSurvivor,
  next,
  opaque,
  proof,
  request,
  survivorClient,
} from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

let h: Harness | null = null;
const sockets: { close: () => void }[] = [];
const track = <T extends { close: () => void }>(s: T) => {
  sockets.push(s);
  return s;
};
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h?.close();
  h = null;
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function activeChat(harness: Harness, a: Socket) {
  const s = await joinAsSurvivor(harness.url);
  track(s.socket);
  const taken = await request<Reply<{ assigned: Assigned }>>(a, "take", { sessionId: s.queued.sessionId });
  if (!taken.ok) throw new Error(taken.error);
  await request(a, "accept", { sessionId: s.queued.sessionId, epoch: 0, handshake: opaque(80) });
  return { ...s, sessionId: s.queued.sessionId };
}

describe("relay lifecycle", () => {
  it("serves a survivor over long-polling with the msgpack codec", async () => {
    h = await startRelay();
    const a = track(await connectStaff(h.url, h.addStaff(principal("alice")), "away")) as Socket;
    const s = track(survivorClient(h.url, ["polling"])) as Socket;
    const challenge = await next<Challenge>(s, "challenge");
    const joined = await request<Reply<Queued>>(s, "join", {
      version: PROTOCOL_VERSION,
      pow: await proof(challenge),
      survivorKey: opaque(32),
      language: "en",
      partner: "demo",
    });
    if (!joined.ok) throw new Error(joined.error);
    expect(s.io.engine.transport.name).toBe("polling");
    const sessionId = joined.sessionId;
    await request(a, "take", { sessionId });
    await request(a, "accept", { sessionId, epoch: 0, handshake: opaque(80) });
    const atSurvivor = collect<Frame>(s, "frame");
    const atStaff = collect<Frame>(a, "frame");
    const down = opaque(1040);
    const up = opaque(1040);
    await request(a, "frame", { sessionId, epoch: 0, seq: 0, ciphertext: down });
    expect(await request(s, "frame", { sessionId, epoch: 0, seq: 0, ciphertext: up })).toEqual({ ok: true });
    await sleep(150);
    expect(atSurvivor.map((f) => new Uint8Array(f.ciphertext))).toEqual([new Uint8Array(down)]);
    expect(atStaff.map((f) => new Uint8Array(f.ciphertext))).toEqual([new Uint8Array(up)]);
  });

  it("keeps a counselor's chats across a reconnect within the grace period", async () => {
    h = await startRelay({ resumeGraceMs: 400 });
    const cookie = h.addStaff(principal("alice"));
    const a = (await connectStaff(h.url, cookie, "away")) as Socket;
    const chat = await activeChat(h, a);
    const peers = collect<PeerStatus>(chat.socket, "peer");
    a.close();
    await sleep(60);
    expect(
      await request(chat.socket as Socket, "frame", {
        sessionId: chat.sessionId,
        epoch: 0,
        seq: 0,
        ciphertext: opaque(9),
      }),
    ).toEqual({
      ok: false,
      error: "peer-offline",
    });
    const again = track(await connectStaff(h.url, cookie, "away")) as Socket;
    // The relay's notice follows the reconnect by a moment (a loaded machine: longer than 60 ms).
    await expect.poll(() => peers.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    expect(peers).toEqual([
      { sessionId: chat.sessionId, connected: false },
      { sessionId: chat.sessionId, connected: true },
    ]);
    const atStaff = collect<Frame>(again, "frame");
    expect(
      await request(chat.socket as Socket, "frame", {
        sessionId: chat.sessionId,
        epoch: 0,
        seq: 0,
        ciphertext: opaque(9),
      }),
    ).toEqual({
      ok: true,
    });
    // Past the original grace period the chat is still Alice's.
    await sleep(500);
    expect(atStaff).toHaveLength(1);
    expect((await h.store.getSession(chat.sessionId))?.counselor).toBe("alice");
  });

  it("requeues a counselor's chats when the grace period runs out", async () => {
    h = await startRelay({ resumeGraceMs: 200 });
    const a = (await connectStaff(h.url, h.addStaff(principal("alice")), "away")) as Socket;
    const chat = await activeChat(h, a);
    const transferring = next<Transferring>(chat.socket, "transferring", 2000);
    a.close();
    expect(await transferring).toEqual({ sessionId: chat.sessionId, epoch: 1 });
    const b = track(await connectStaff(h.url, h.addStaff(principal("bob")), "available")) as Socket;
    const assigned = next<Assigned>(b, "assigned");
    await request(chat.socket as Socket, "transfer-key", {
      sessionId: chat.sessionId,
      survivorKey: opaque(32),
    });
    expect(await assigned).toMatchObject({
      sessionId: chat.sessionId,
      epoch: 1,
      transfer: { from: "alice" },
    });
  });

  it("raises the proof-of-work difficulty as joins come faster", async () => {
    h = await startRelay({ queueDifficulty: true });
    const first = track(survivorClient(h.url)) as Socket;
    expect((await next<Challenge>(first, "challenge")).difficulty).toBe(POW_MIN_DIFFICULTY);
    // Ten joins within seconds: above the free rate (8 a minute), one more bit.
    for (let i = 0; i < 10; i++) track((await joinAsSurvivor(h.url)).socket);
    await sleep(50);
    const later = track(survivorClient(h.url)) as Socket;
    expect((await next<Challenge>(later, "challenge")).difficulty).toBe(POW_MIN_DIFFICULTY + 1);
  });

  it("shutdown tells everyone, disconnects them and forgets everything", async () => {
    const harness = await startRelay();
    h = harness;
    const a = track(await connectStaff(harness.url, harness.addStaff(principal("alice")), "away")) as Socket;
    const chat = await activeChat(harness, a);
    const waiting = await joinAsSurvivor(harness.url);
    track(waiting.socket);
    const staffEnded = next<StaffEnded>(a, "ended");
    const survivorEnded = next<SurvivorEnded>(chat.socket, "ended");
    const waitingEnded = next<SurvivorEnded>(waiting.socket, "ended");
    const gone = next(chat.socket, "disconnect");
    await harness.relay.shutdown();
    expect(await staffEnded).toEqual({ sessionId: chat.sessionId, reason: "server-shutdown" });
    expect(await survivorEnded).toEqual({ sessionId: chat.sessionId, reason: "server-shutdown" });
    expect((await waitingEnded).reason).toBe("server-shutdown");
    await gone;
    expect(await harness.store.counts()).toEqual({ sessions: 0, queued: 0, staff: 0, spent: 0 });
    expect(harness.relay.counts()).toMatchObject({ waiting: 0, active: 0 });
    // New connections are refused while shut down.
    const late = track(survivorClient(harness.url)) as Socket;
    expect((await next<Error>(late, "connect_error")).message).toBe("shutting-down");
  });
});
