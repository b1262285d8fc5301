import { randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Challenge,
  MAX_WAITING_PER_CLIENT,
  POW_MIN_DIFFICULTY,
  PROTOCOL_VERSION,
  type Queued,
  type Reply,
  SURVIVOR_CLIENT_OPTIONS,
  SURVIVOR_NAMESPACE,
  type SurvivorEnded,
  WAITING_KEEPALIVE_MS,
  WAITING_SILENCE_MS,
} from "../../shared/protocol/index.ts";
import {
  collect,
  connectStaff,
  joinAsSurvivor,
  next,
  proof,
  request,
  survivorClient,
} from "../support/relay-clients.ts";
import { type Harness, type HarnessOptions, principal, startRelay } from "../support/relay-harness.ts";
import { sleep } from "../support/raw-relay.ts";
import { needService } from "../support/services.ts";
import { sharedStoreFixture } from "../support/shared-store.ts";

/**
 * Classes: queue places that outlive their survivor or are never freed (finding: a waiting
 * session's record expired after ~22 minutes while its socket stayed connected, and its queue
 * entry counted towards the cap for ever), and queue exhaustion by one client (finding: 510
 * sockets from one machine filled the queue in five seconds).
 */
const MINUTE = 60_000;

let h: Harness | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h?.close();
  h = null;
});

/** A harness on a clock the test moves; the sweep runs every 50 ms of real time. */
async function onFakeClock(options: HarnessOptions = {}) {
  const clock = { t: Date.now() };
  h = await startRelay({ now: () => clock.t, resumeGraceMs: 200, ...options });
  return { harness: h, clock };
}

/** Moves the clock in steps, letting the sweep run after each, calling `each` before the sweep. */
async function advance(clock: { t: number }, ms: number, step: number, each: () => void = () => {}) {
  for (let done = 0; done < ms; done += step) {
    clock.t += step;
    each();
    await sleep(120);
  }
}

async function join(url: string): Promise<{ socket: Socket; queued: Queued }> {
  const s = await joinAsSurvivor(url);
  sockets.push(s.socket as Socket);
  return { socket: s.socket as Socket, queued: s.queued };
}

describe("queue places", () => {
  it("a connected survivor whose frame keeps saying `waiting` keeps their place for hours, and is then served", async () => {
    const { harness, clock } = await onFakeClock();
    const survivor = await join(harness.url);
    const id = survivor.queued.sessionId;
    // Three hours, one keep-alive every 90 s (the frame sends one every 30 s): far past the
    // record's old expiry (idle timeout + grace + 60 s, about 22 minutes).
    for (let t = 0; t < 180 * MINUTE; t += 90_000) {
      clock.t += 90_000;
      expect(await request(survivor.socket, "waiting", { sessionId: id })).toEqual({ ok: true });
      await sleep(60);
    }
    expect((await harness.store.getSession(id))?.state).toBe("waiting");
    const staff = (await connectStaff(harness.url, harness.addStaff(principal("late")), "away")) as Socket;
    sockets.push(staff);
    const taken = await request<Reply>(staff, "take", {});
    expect(taken.ok).toBe(true);
  });

  it("a connected socket that never keeps its place alive loses it, and the place is freed", async () => {
    const { harness, clock } = await onFakeClock({ maxWaiting: 1 });
    const bot = await join(harness.url);
    const ended = collect<SurvivorEnded>(bot.socket, "ended");
    await advance(clock, WAITING_SILENCE_MS + WAITING_KEEPALIVE_MS, WAITING_KEEPALIVE_MS);
    expect(ended).toEqual([{ sessionId: bot.queued.sessionId, reason: "expired" }]);
    expect((await harness.store.counts()).queued).toBe(0);
    // The one place is free again for someone real.
    await join(harness.url);
  });

  it("a queue entry whose record vanished from the store is swept, so it never counts towards queue-full", async () => {
    const { harness } = await onFakeClock({ maxWaiting: 1 });
    const first = await join(harness.url);
    // What an expired record looked like: gone from the store, its queue entry left behind.
    await harness.store.deleteSession(first.queued.sessionId);
    await sleep(200);
    expect((await harness.store.counts()).queued).toBe(0);
    await join(harness.url);
  });

  it("when the helpline closes, waiting survivors are told and their places freed", async () => {
    let open = true;
    const { harness } = await onFakeClock({ isOpen: () => open });
    const survivor = await join(harness.url);
    const ended = collect<SurvivorEnded>(survivor.socket, "ended");
    open = false;
    await sleep(300);
    expect(ended).toEqual([{ sessionId: survivor.queued.sessionId, reason: "helpline-closed" }]);
    expect((await harness.store.counts()).queued).toBe(0);
  });

  it("one client address holds at most MAX_WAITING_PER_CLIENT places, whatever X-Forwarded-For it claims", async () => {
    h = await startRelay({ maxWaitingPerClient: MAX_WAITING_PER_CLIENT });
    const held = [];
    for (let i = 0; i < MAX_WAITING_PER_CLIENT; i++) held.push(await join(h.url));
    const refused: string[] = [];
    for (let i = 0; i < 3; i++) {
      // Behind no trusted proxy, a forwarded-for header is the client's own claim: ignored.
      const s = io(`${h.url}${SURVIVOR_NAMESPACE}`, {
        ...SURVIVOR_CLIENT_OPTIONS,
        transports: ["websocket"],
        parser: msgpackParser,
        forceNew: true,
        reconnection: false,
        extraHeaders: { "x-forwarded-for": `198.51.100.${i + 1}` },
      });
      sockets.push(s);
      const challenge = await next<Challenge>(s, "challenge");
      const reply = await request<Reply<Queued>>(s, "join", {
        version: PROTOCOL_VERSION,
        pow: await proof(challenge),
        survivorKey: randomBytes(32),
        language: "en",
        partner: "demo",
      });
      refused.push(reply.ok ? "joined" : reply.error);
    }
    expect(refused).toEqual(["queue-full", "queue-full", "queue-full"]);
    // Leaving frees a place for the same address.
    await request(held[0]!.socket, "leave", { sessionId: held[0]!.queued.sessionId, reason: "ended" });
    await join(h.url);
  });

  it("refused joins raise the difficulty too", async () => {
    h = await startRelay({ queueDifficulty: true, maxWaitingPerClient: 1 });
    await join(h.url);
    for (let i = 0; i < 16; i++) {
      const s = survivorClient(h.url) as Socket;
      sockets.push(s);
      const challenge = await next<Challenge>(s, "challenge");
      const reply = await request<Reply<Queued>>(s, "join", {
        version: PROTOCOL_VERSION,
        pow: await proof(challenge),
        survivorKey: randomBytes(32),
        language: "en",
        partner: "demo",
      });
      expect(reply).toEqual({ ok: false, error: "queue-full" });
    }
    const later = survivorClient(h.url) as Socket;
    sockets.push(later);
    // 17 attempts within seconds: log2(17 / 8) rounded up is two more bits.
    expect((await next<Challenge>(later, "challenge")).difficulty).toBe(POW_MIN_DIFFICULTY + 2);
  });

  it("a supervisor clears waiting chats that never spoke; counselors may not", async () => {
    const { harness, clock } = await onFakeClock();
    const bot = await join(harness.url);
    const real = await join(harness.url);
    const botEnded = collect<SurvivorEnded>(bot.socket, "ended");
    await advance(clock, WAITING_KEEPALIVE_MS * 2, WAITING_KEEPALIVE_MS, () =>
      real.socket.emit("waiting", { sessionId: real.queued.sessionId }),
    );
    const counselor = (await connectStaff(harness.url, harness.addStaff(principal("c1")), "away")) as Socket;
    const supervisor = (await connectStaff(
      harness.url,
      harness.addStaff(principal("s1", { role: "supervisor" })),
      "away",
    )) as Socket;
    sockets.push(counselor, supervisor);
    expect(await request(counselor, "clear-silent", {})).toEqual({ ok: false, error: "forbidden" });
    expect(await request(supervisor, "clear-silent", {})).toEqual({ ok: true, cleared: 1 });
    await sleep(50);
    expect(botEnded).toEqual([{ sessionId: bot.queued.sessionId, reason: "expired" }]);
    expect((await harness.store.getSession(real.queued.sessionId))?.state).toBe("waiting");
  });
});

describe.runIf(await needService("redis"))("queue places across nodes", () => {
  const shared = sharedStoreFixture("redis");

  it("a flood of joins from one address, spread over two nodes at once, holds at most MAX_WAITING_PER_CLIENT places and leaves no record for a refused join", async () => {
    const store = await shared.store();
    // Both nodes key the address alike (they share SAHARA_SECRET in a deployment).
    const secret = new Uint8Array(randomBytes(32));
    const options = { store, secret, handOver: true, maxWaitingPerClient: MAX_WAITING_PER_CLIENT };
    const a = await startRelay(options);
    const b = await startRelay(options);
    shared.harnesses.push(a, b);
    // Every socket connects and solves its challenge first, then all joins go out together.
    const ready = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const socket = survivorClient((i % 2 === 0 ? a : b).url);
        shared.sockets.push(socket);
        return { socket: socket as Socket, pow: await proof(await next<Challenge>(socket, "challenge")) };
      }),
    );
    const replies = await Promise.all(
      ready.map(({ socket, pow }) =>
        request<Reply<Queued>>(socket, "join", {
          version: PROTOCOL_VERSION,
          pow,
          survivorKey: randomBytes(32),
          language: "en",
          partner: "demo",
        }),
      ),
    );
    const joined = replies.filter((r) => r.ok);
    expect(joined).toHaveLength(MAX_WAITING_PER_CLIENT);
    expect(replies.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.error))).toEqual(
      Array(12 - MAX_WAITING_PER_CLIENT).fill("queue-full"),
    );
    expect((await store.listSessions()).map((s) => s.id).sort()).toEqual(
      joined.map((r) => (r.ok ? r.sessionId : "")).sort(),
    );
  });
});
