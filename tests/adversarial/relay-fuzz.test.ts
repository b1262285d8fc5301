import fc from "fast-check";
import type { Socket } from "socket.io-client";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Assigned,
  type Challenge,
  type Frame,
  isRelayErrorCode,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type Reply,
  RELAY_PATH,
} from "../../shared/protocol/index.ts";
import {
  collect,
  connectStaff,
  joinAsSurvivor,
  opaque,
  proof,
  request,
  staffClient,
  survivorClient,
} from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

const SURVIVOR_EVENTS = ["join", "resume", "transfer-key", "frame", "ack", "leave", "take", "nonsense"];
const STAFF_EVENTS = [
  "status",
  "take",
  "accept",
  "transfer",
  "frame",
  "ack",
  "leave",
  "join",
  "nonsense",
  "side-ask",
  "side-open",
  "side-join",
  "side-message",
  "side-end",
];
const ATTEMPTS = 300;

const sessionId = fc.oneof(
  fc.string({ minLength: 22, maxLength: 22 }),
  fc.constant("A".repeat(22)),
  fc.string(),
);
const bin = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constant(Buffer.alloc(MAX_FRAME_BYTES + 1)),
  fc.constant(Buffer.alloc(0)),
);
/** Payloads shaped like the real ones with wrong pieces, plus anything at all. */
const payload = fc.oneof(
  fc.anything(),
  fc.record({ sessionId, epoch: fc.integer({ min: -2, max: 300 }), seq: fc.integer(), ciphertext: bin }),
  fc.record({ sessionId, epoch: fc.nat(2), seq: fc.nat(3) }),
  fc.record({
    version: fc.oneof(fc.constant(PROTOCOL_VERSION), fc.integer()),
    pow: fc.record({ challenge: fc.string({ maxLength: 200 }), nonce: bin }),
    survivorKey: bin,
    language: fc.constantFrom("en", "ur", "xx"),
    partner: fc.constantFrom("demo", "nope", ""),
  }),
  fc.record({ status: fc.constantFrom("available", "away", "break", "asleep") }),
  fc.record({ sessionId, to: fc.string(), note: bin }),
  fc.record({ sessionId, reason: fc.constantFrom("ended", "quick-exit", "wiped", "x") }),
  fc.string({ maxLength: 5000 }),
);

let h: Harness;
beforeAll(async () => {
  h = await startRelay();
});
afterAll(async () => {
  await h.close();
});

describe("relay under malformed input", () => {
  it("answers garbage with error codes, keeps other sessions working, and still serves a normal chat", async () => {
    // A chat in progress before the storm, to check nothing disturbs it.
    const a = (await connectStaff(h.url, h.addStaff(principal("alice", { chatLimit: 5 })), "away")) as Socket;
    const s = await joinAsSurvivor(h.url);
    const taken = await request<Reply<{ assigned: Assigned }>>(a, "take", {});
    if (!taken.ok) throw new Error(taken.error);
    const id = s.queued.sessionId;
    await request(a, "accept", { sessionId: id, epoch: 0, handshake: opaque(64) });

    // Attackers: survivor and staff sockets (each sends fewer events than its rate-limit burst).
    const attackers: Socket[] = [];
    for (let i = 0; i < 6; i++) attackers.push(survivorClient(h.url) as Socket);
    for (let i = 0; i < 4; i++)
      attackers.push((await connectStaff(h.url, h.addStaff(principal(`m${i}`)), "away")) as Socket);
    const samples = fc.sample(
      fc.tuple(
        fc.nat(attackers.length - 1),
        fc.nat(20),
        payload,
        fc.constantFrom("reply", "none", "bad-callback"),
      ),
      { numRuns: ATTEMPTS, seed: 20261128 },
    );
    const replies: unknown[] = [];
    await Promise.all(
      samples.map(async ([who, eventIndex, p, mode]) => {
        const socket = attackers[who]!;
        const events = who < 6 ? SURVIVOR_EVENTS : STAFF_EVENTS;
        const event = events[eventIndex % events.length]!;
        if (mode === "reply") {
          try {
            replies.push(await socket.timeout(1500).emitWithAck(event, p));
          } catch {
            replies.push("no-reply");
          }
        } else if (mode === "bad-callback") socket.emit(event, p, 42, { not: "a function" });
        else socket.emit(event, p);
      }),
    );
    // Every answer is an error code from the catalogue (or a plain ok for harmless requests).
    for (const r of replies) {
      if (r === "no-reply") continue;
      const reply = r as { ok: boolean; error?: string };
      expect(reply.ok === true || isRelayErrorCode(reply.error)).toBe(true);
    }
    expect(replies.filter((r) => r !== "no-reply").length).toBeGreaterThan(ATTEMPTS / 6);

    // Raw garbage below socket.io: the decoder refuses it and closes only that connection.
    for (const garbage of [Buffer.from([0xc1, 0xff, 0x00]), "4{not json", Buffer.alloc(100_000, 7)]) {
      const ws = new WebSocket(`ws://127.0.0.1:${h.port}${RELAY_PATH}?EIO=4&transport=websocket`);
      await new Promise<void>((resolve) => {
        ws.on("open", () => ws.send(garbage));
        ws.on("message", () => ws.send(garbage));
        ws.on("close", () => resolve());
        ws.on("error", () => resolve());
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1500);
      });
    }

    // The chat from before still works.
    const atStaff = collect<Frame>(a, "frame");
    const c = opaque(500);
    expect(
      await request(s.socket as Socket, "frame", { sessionId: id, epoch: 0, seq: 0, ciphertext: c }),
    ).toEqual({ ok: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(atStaff.map((f) => new Uint8Array(f.ciphertext))).toEqual([new Uint8Array(c)]);

    // And a brand-new chat works end to end.
    const b = (await connectStaff(h.url, h.addStaff(principal("bob")), "away")) as Socket;
    const s2 = await joinAsSurvivor(h.url);
    const t2 = await request<Reply<{ assigned: Assigned }>>(b, "take", { sessionId: s2.queued.sessionId });
    expect(t2.ok).toBe(true);
    expect(
      await request(b, "accept", { sessionId: s2.queued.sessionId, epoch: 0, handshake: opaque(64) }),
    ).toEqual({
      ok: true,
    });
    const atSurvivor = collect<Frame>(s2.socket, "frame");
    expect(
      await request(b, "frame", { sessionId: s2.queued.sessionId, epoch: 0, seq: 0, ciphertext: c }),
    ).toEqual({
      ok: true,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(atSurvivor).toHaveLength(1);
    for (const x of [...attackers, a, b, s.socket, s2.socket]) x.close();
  });

  it("refuses oversized frames with frame-too-large and floods with rate-limited", async () => {
    const a = (await connectStaff(h.url, h.addStaff(principal("carol")), "away")) as Socket;
    const s = await joinAsSurvivor(h.url);
    await request(a, "take", { sessionId: s.queued.sessionId });
    const sessionId = s.queued.sessionId;
    await request(a, "accept", { sessionId, epoch: 0, handshake: opaque(64) });
    expect(
      await request(s.socket as Socket, "frame", {
        sessionId,
        epoch: 0,
        seq: 0,
        ciphertext: opaque(MAX_FRAME_BYTES + 1),
      }),
    ).toEqual({ ok: false, error: "frame-too-large" });
    const flood = await Promise.all(
      Array.from({ length: 80 }, (_, seq) =>
        request<Reply>(s.socket as Socket, "frame", { sessionId, epoch: 0, seq, ciphertext: opaque(10) }),
      ),
    );
    const limited = flood.filter((r) => !r.ok && r.error === "rate-limited").length;
    expect(limited).toBeGreaterThan(20);
    expect(flood.filter((r) => r.ok).length).toBeGreaterThan(20);
    for (const x of [a, s.socket]) x.close();
  });

  it("refuses a join without a valid, unspent proof of work", async () => {
    const s = survivorClient(h.url) as Socket;
    const challenges = collect<Challenge>(s, "challenge");
    await new Promise((r) => s.once("challenge", r));
    const challenge = challenges[0]!;
    const base = { version: PROTOCOL_VERSION, survivorKey: opaque(32), language: "en", partner: "demo" };
    // A forged challenge (MAC does not match) with a valid-looking solution.
    const forged = challenge.challenge.replace(/\.(\d+)\./, ".1.");
    expect(
      await request(s, "join", { ...base, pow: { challenge: forged, nonce: Buffer.alloc(8) } }),
    ).toMatchObject({
      ok: false,
      error: "pow-invalid",
    });
    // A failed attempt brings a fresh challenge.
    expect(challenges).toHaveLength(2);
    const solved = await proof(challenges[1]!);
    expect((await request<Reply>(s, "join", { ...base, pow: solved })).ok).toBe(true);
    // Replaying the same proof from another socket fails: challenges are single-use.
    const other = survivorClient(h.url) as Socket;
    expect(await request(other, "join", { ...base, pow: solved })).toEqual({
      ok: false,
      error: "pow-invalid",
    });
    // No cookie, no staff namespace, even for a socket that solved a challenge.
    const sneaky = staffClient(h.url) as Socket;
    await new Promise((r) => sneaky.once("connect_error", r));
    expect(sneaky.connected).toBe(false);
    for (const x of [s, other, sneaky]) x.close();
  });
});
