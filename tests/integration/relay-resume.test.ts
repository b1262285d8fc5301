import type { Socket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Accepted,
  type Assigned,
  type Frame,
  PROTOCOL_VERSION,
  type PeerStatus,
  type Reply,
  type StaffEnded,
} from "../../shared/protocol/index.ts";
import {
  collect,
  connectStaff,
  dropNetwork,
  joinAsSurvivor,
  next,
  opaque,
  request,
  type SurvivorClient,
  survivorClient,
  WRAPUP_TOKEN,
} from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

const GRACE_MS = 400;
let h: Harness;
const sockets: { close: () => void }[] = [];
const track = <T extends { close: () => void }>(s: T) => {
  sockets.push(s);
  return s;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  h = await startRelay({ resumeGraceMs: GRACE_MS });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h.close();
});

type Resumed = Reply<{ epoch: number; resumeToken: string }>;

async function chat() {
  const a = track(await connectStaff(h.url, h.addStaff(principal("alice")), "away")) as Socket;
  const s = await joinAsSurvivor(h.url);
  track(s.socket);
  const taken = await request<Reply<{ assigned: Assigned }>>(a, "take", {});
  if (!taken.ok) throw new Error(taken.error);
  const sessionId = s.queued.sessionId;
  const handshake = opaque(300);
  expect(await request(a, "accept", { sessionId, epoch: 0, handshake })).toEqual({ ok: true });
  return { a, s, sessionId, handshake };
}

/**
 * A sender as the clients are meant to behave: keep every frame until it is acknowledged end to
 * end, and resend all unacknowledged frames after a resume.
 */
function sender(sessionId: string) {
  const unacked = new Map<number, Buffer>();
  let seq = 0;
  return {
    send(socket: Socket | SurvivorClient) {
      const ciphertext = opaque(200);
      unacked.set(seq, ciphertext);
      (socket as Socket).emit("frame", { sessionId, epoch: 0, seq, ciphertext });
      seq++;
    },
    ack(upTo: number) {
      for (const k of [...unacked.keys()]) if (k <= upTo) unacked.delete(k);
    },
    resend(socket: Socket | SurvivorClient) {
      for (const [s, ciphertext] of unacked)
        (socket as Socket).emit("frame", { sessionId, epoch: 0, seq: s, ciphertext });
    },
    all: () => seq,
  };
}

/** The store's next call of `method` waits until `release()`: `entered()` once it is waiting. */
function holdNext(method: "getSession" | "updateSession") {
  const store = h.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = (store[method] as (...args: unknown[]) => Promise<unknown>).bind(h.store);
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let waiting = false;
  store[method] = async (...args: unknown[]) => {
    if (!waiting) {
      waiting = true;
      await held;
    }
    return original(...args);
  };
  return { entered: () => waiting, release: () => release() };
}

/**
 * A resume whose socket drops while the relay handles it: the store's next `method` call waits
 * until the new socket has dropped too, so the resume is in the relay's queue when its
 * disconnect arrives.
 */
async function resumeDroppedInFlight(
  sessionId: string,
  token: string,
  method: "getSession" | "updateSession",
) {
  const { entered, release } = holdNext(method);
  const lost = track(survivorClient(h.url));
  await next(lost, "challenge");
  (lost as Socket).emit("resume", { version: PROTOCOL_VERSION, sessionId, resumeToken: token });
  await expect.poll(entered).toBe(true);
  dropNetwork(lost);
  await expect.poll(() => h.relay.counts().survivors).toBe(0);
  release();
}

describe("survivor resume", () => {
  it("within the grace period loses no message in either direction", async () => {
    const { a, s, sessionId, handshake } = await chat();
    const atStaff = collect<Frame>(a, "frame");
    const peers = collect<PeerStatus>(a, "peer");
    const fromSurvivor = sender(sessionId);
    const fromStaff = sender(sessionId);
    // Acks: each side acknowledges what it received, the relay routes them back.
    a.on("frame", (f: Frame) => a.emit("ack", { sessionId, epoch: 0, seq: f.seq }));
    a.on("ack", (k: { seq: number }) => fromStaff.ack(k.seq));

    fromSurvivor.send(s.socket);
    fromSurvivor.send(s.socket);
    await sleep(50);
    // The connection drops before the survivor saw the acks for its frames.
    dropNetwork(s.socket);
    await sleep(50);
    expect(peers).toEqual([{ sessionId, connected: false }]);
    // While the survivor is gone the relay buffers nothing: the counselor's frames are refused
    // (`peer-offline`) and stay in the counselor's unacknowledged list.
    const refused = next<{ code: string; sessionId: string; seq: number }>(a, "error");
    fromStaff.send(a);
    expect(await refused).toEqual({ code: "peer-offline", sessionId, seq: 0 });
    fromStaff.send(a);

    const again = track(survivorClient(h.url));
    const atSurvivor = collect<Frame>(again, "frame");
    again.on("frame", (f: Frame) => again.emit("ack", { sessionId, epoch: 0, seq: f.seq }));
    const reaccepted = next<Accepted>(again, "accepted");
    const resumed = await request<Resumed>(again as Socket, "resume", {
      version: PROTOCOL_VERSION,
      sessionId,
      resumeToken: s.queued.resumeToken,
    });
    if (!resumed.ok) throw new Error(resumed.error);
    expect(resumed.epoch).toBe(0);
    expect(resumed.resumeToken).not.toBe(s.queued.resumeToken);
    // The handshake is re-sent so a survivor who missed `accepted` can still complete it.
    expect(new Uint8Array((await reaccepted).handshake)).toEqual(new Uint8Array(handshake));
    await sleep(30);
    expect(peers.at(-1)).toEqual({ sessionId, connected: true });

    // Both sides resend what is unacknowledged.
    fromSurvivor.resend(again);
    fromSurvivor.send(again);
    fromStaff.resend(a);
    await sleep(100);
    expect(new Set(atStaff.map((f) => f.seq))).toEqual(new Set([0, 1, 2]));
    expect(new Set(atSurvivor.map((f) => f.seq))).toEqual(new Set([0, 1]));

    // Each token works once.
    const replay = track(survivorClient(h.url));
    expect(
      await request(replay as Socket, "resume", {
        version: PROTOCOL_VERSION,
        sessionId,
        resumeToken: s.queued.resumeToken,
      }),
    ).toEqual({ ok: false, error: "resume-failed" });
  });

  it("a resumed survivor's burst reaches the counselor in the order it was sent", async () => {
    const { a, s, sessionId } = await chat();
    const atStaff = collect<Frame>(a, "frame");
    dropNetwork(s.socket);
    const again = track(survivorClient(h.url));
    const resumed = await request<Resumed>(again as Socket, "resume", {
      version: PROTOCOL_VERSION,
      sessionId,
      resumeToken: s.queued.resumeToken,
    });
    if (!resumed.ok) throw new Error(resumed.error);
    // The first frame after a resume also withdraws the previous token (a record write): the
    // frames behind it must not overtake it.
    for (let seq = 0; seq < 20; seq++) {
      (again as Socket).emit("frame", { sessionId, epoch: 0, seq, ciphertext: opaque(40) });
    }
    await expect.poll(() => atStaff.length).toBe(20);
    expect(atStaff.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("refuses a wrong token with the same code as an unknown session", async () => {
    const { sessionId } = await chat();
    const thief = track(survivorClient(h.url));
    const token = "A".repeat(43);
    expect(
      await request(thief as Socket, "resume", { version: PROTOCOL_VERSION, sessionId, resumeToken: token }),
    ).toEqual({
      ok: false,
      error: "resume-failed",
    });
    expect(
      await request(thief as Socket, "resume", {
        version: PROTOCOL_VERSION,
        sessionId: "B".repeat(22),
        resumeToken: token,
      }),
    ).toEqual({ ok: false, error: "resume-failed" });
    expect((await h.store.getSession(sessionId as never))?.state).toBe("active");
  });

  it("after the grace period the session is gone on both sides", async () => {
    const { a, s, sessionId } = await chat();
    const ended = next<StaffEnded>(a, "ended", GRACE_MS * 4);
    dropNetwork(s.socket);
    expect(await ended).toEqual({ sessionId, reason: "expired", wrapup: WRAPUP_TOKEN });
    const late = track(survivorClient(h.url));
    expect(
      await request(late as Socket, "resume", {
        version: PROTOCOL_VERSION,
        sessionId,
        resumeToken: s.queued.resumeToken,
      }),
    ).toEqual({ ok: false, error: "resume-failed" });
    expect(await request(a, "frame", { sessionId, epoch: 0, seq: 0, ciphertext: opaque(5) })).toEqual({
      ok: false,
      error: "not-your-session",
    });
    await sleep(50);
    expect(await h.store.counts()).toMatchObject({ sessions: 0, queued: 0 });
  });

  it("a resume whose socket drops while the relay handles it leaves the session disconnected: the grace runs and the counselor is told", async () => {
    const { a, s, sessionId } = await chat();
    const peers = collect<PeerStatus>(a, "peer");
    const ended = collect<StaffEnded>(a, "ended");
    dropNetwork(s.socket);
    await expect.poll(() => peers).toEqual([{ sessionId, connected: false }]);

    await resumeDroppedInFlight(sessionId, s.queued.resumeToken, "getSession");

    // The survivor is gone: the counselor hears so last, and the grace ends the chat.
    await expect
      .poll(() => ended, { timeout: GRACE_MS * 8 })
      .toEqual([{ sessionId, reason: "expired", wrapup: WRAPUP_TOKEN }]);
    expect(peers.at(-1)).toEqual({ sessionId, connected: false });
    expect(await h.store.counts()).toMatchObject({ sessions: 0 });
  });

  for (const [when, method] of [
    ["before its write", "getSession"],
    ["during its write", "updateSession"],
  ] as const) {
    it(`a resume whose socket drops ${when} leaves the token as it was: the next connection resumes with it`, async () => {
      const { a, s, sessionId } = await chat();
      const peers = collect<PeerStatus>(a, "peer");
      dropNetwork(s.socket);
      await expect.poll(() => peers).toEqual([{ sessionId, connected: false }]);
      await resumeDroppedInFlight(sessionId, s.queued.resumeToken, method);
      // Queued behind the lost resume and its disconnect: it runs once both are done.
      const again = track(survivorClient(h.url));
      await next(again, "challenge");
      const resumed = await request<Resumed>(again as Socket, "resume", {
        version: PROTOCOL_VERSION,
        sessionId,
        resumeToken: s.queued.resumeToken,
      });
      expect(resumed).toMatchObject({ ok: true, epoch: 0 });
      await expect.poll(() => peers.at(-1)).toEqual({ sessionId, connected: true });
    });
  }

  it("closes idle chats and tells both sides", async () => {
    await h.close();
    h = await startRelay({ idleTimeoutMs: 300 });
    const { a, s, sessionId } = await chat();
    const staffEnded = next<StaffEnded>(a, "ended", 2000);
    const survivorEnded = next(s.socket, "ended", 2000);
    expect(await staffEnded).toEqual({ sessionId, reason: "idle", wrapup: WRAPUP_TOKEN });
    expect(await survivorEnded).toEqual({ sessionId, reason: "idle" });
    expect(await h.store.counts()).toMatchObject({ sessions: 0, queued: 0 });
  });

  describe("a resume answer lost after the relay sent it", () => {
    /** A fresh socket resuming with `token`. */
    async function resumeWith(sessionId: string, token: string, url = h.url) {
      const socket = track(survivorClient(url));
      const reply = await request<Resumed>(socket as Socket, "resume", {
        version: PROTOCOL_VERSION,
        sessionId,
        resumeToken: token,
      });
      return { socket, reply };
    }
    const gone = (sessionId: string) =>
      expect
        .poll(async () => (await h.store.getSession(sessionId as never))?.survivorSocket ?? "gone")
        .toBe("gone");
    const socketOf = async (sessionId: string) =>
      (await h.store.getSession(sessionId as never))?.survivorSocket ?? null;

    it("the previous token resumes once more and voids the lost answer's token; once the new one is used, the old one fails", async () => {
      const { a, s, sessionId } = await chat();
      const ended = collect<StaffEnded>(a, "ended");
      const t0 = s.queued.resumeToken;
      dropNetwork(s.socket);
      await gone(sessionId);
      // Answered with t1, but the survivor never reads it: its network is cut at once.
      const first = await resumeWith(sessionId, t0);
      if (!first.reply.ok) throw new Error(first.reply.error);
      const lost = first.reply.resumeToken;
      dropNetwork(first.socket);
      await gone(sessionId);
      // The survivor still holds t0 only.
      const second = await resumeWith(sessionId, t0);
      if (!second.reply.ok) throw new Error(second.reply.error);
      expect(await socketOf(sessionId)).toBe(second.socket.id);
      // The token of the lost answer was voided by that rotation.
      expect((await resumeWith(sessionId, lost)).reply).toEqual({ ok: false, error: "resume-failed" });
      // The new token is used (another drop): t0 is no longer accepted.
      dropNetwork(second.socket);
      await gone(sessionId);
      const third = await resumeWith(sessionId, second.reply.resumeToken);
      expect(third.reply.ok).toBe(true);
      expect((await resumeWith(sessionId, t0)).reply).toEqual({ ok: false, error: "resume-failed" });
      expect(await socketOf(sessionId)).toBe(third.socket.id);
      // The chat goes on: the counselor's frame reaches the survivor's current socket.
      const arrived = next<Frame>(third.socket, "frame");
      expect(await request(a, "frame", { sessionId, epoch: 0, seq: 0, ciphertext: opaque(5) })).toEqual({
        ok: true,
      });
      expect((await arrived).seq).toBe(0);
      expect(ended).toEqual([]);
    });

    it("the previous token is accepted for one grace period after the resume, not for as long as the survivor stays silent; the new token always works", async () => {
      const { s, sessionId } = await chat();
      const t0 = s.queued.resumeToken;
      dropNetwork(s.socket);
      await gone(sessionId);
      const back = await resumeWith(sessionId, t0);
      if (!back.reply.ok) throw new Error(back.reply.error);
      // Within the window the previous token still resumes (its answer may have been lost).
      await sleep(GRACE_MS / 4);
      const within = await resumeWith(sessionId, t0);
      if (!within.reply.ok) throw new Error(within.reply.error);
      expect(await socketOf(sessionId)).toBe(within.socket.id);
      // The survivor never sends a frame or a keep-alive: the window closes all the same, on this
      // node and on another one sharing the store (the deadline is in the record).
      const other = await startRelay({ store: h.store, handOver: true, resumeGraceMs: GRACE_MS });
      try {
        await sleep(GRACE_MS + 100);
        for (const url of [h.url, other.url])
          expect((await resumeWith(sessionId, t0, url)).reply).toEqual({ ok: false, error: "resume-failed" });
      } finally {
        await other.close();
      }
      expect(await socketOf(sessionId)).toBe(within.socket.id);
      expect(within.socket.connected).toBe(true);
      const latest = await resumeWith(sessionId, within.reply.resumeToken);
      expect(latest.reply.ok).toBe(true);
      expect(await socketOf(sessionId)).toBe(latest.socket.id);
    });

    it("a replayed previous token cannot take over a chat whose survivor is connected and has sent a frame since", async () => {
      const { a, s, sessionId } = await chat();
      const t0 = s.queued.resumeToken;
      dropNetwork(s.socket);
      await gone(sessionId);
      const back = await resumeWith(sessionId, t0);
      expect(back.reply.ok).toBe(true);
      // The survivor's first frame after the answer proves the new token arrived.
      const atStaff = next<Frame>(a, "frame");
      back.socket.emit("frame", { sessionId, epoch: 0, seq: 0, ciphertext: opaque(20) });
      expect((await atStaff).seq).toBe(0);
      await expect
        .poll(async () => (await h.store.getSession(sessionId as never))?.previousTokenHash ?? null)
        .toBeNull();
      const thief = await resumeWith(sessionId, t0);
      expect(thief.reply).toEqual({ ok: false, error: "resume-failed" });
      expect(await socketOf(sessionId)).toBe(back.socket.id);
      expect(back.socket.connected).toBe(true);
    });

    it("a waiting survivor's keep-alive after the answer withdraws the previous token", async () => {
      const s = await joinAsSurvivor(h.url);
      track(s.socket);
      const sessionId = s.queued.sessionId;
      dropNetwork(s.socket);
      await gone(sessionId);
      const back = await resumeWith(sessionId, s.queued.resumeToken);
      expect(back.reply.ok).toBe(true);
      expect(await request(back.socket as Socket, "waiting", { sessionId })).toEqual({ ok: true });
      expect((await h.store.getSession(sessionId as never))?.previousTokenHash).toBeNull();
      const thief = await resumeWith(sessionId, s.queued.resumeToken);
      expect(thief.reply).toEqual({ ok: false, error: "resume-failed" });
      expect(await socketOf(sessionId)).toBe(back.socket.id);
    });
  });
});
