import type { Socket } from "socket.io-client";
import { describe, expect, it, vi } from "vitest";
import type {
  Accepted,
  Ack,
  Assigned,
  Frame,
  QueuePosition,
  QueueSnapshot,
  Reply,
  StaffEnded,
  SurvivorEnded,
  Transferring,
} from "../../shared/protocol/index.ts";
import { principal, startRelay } from "../support/relay-harness.ts";
import {
  collect,
  connectStaff,
  dropNetwork,
  joinAsSurvivor,
  next,
  opaque,
  request,
  WRAPUP_TOKEN,
} from "../support/relay-clients.ts";
import { relayFixture } from "../support/relay-fixture.ts";
import { BROADCAST_INTERVAL_MS } from "../../server/relay/broadcast.ts";

const fx = relayFixture();
const { track } = fx;

// Queue, position and load pushes are coalesced (at most one per BROADCAST_INTERVAL_MS): wait past it.
const settle = () => new Promise((r) => setTimeout(r, BROADCAST_INTERVAL_MS + 50));

describe("a full chat through the relay", () => {
  it("queues, takes, forwards handshake and frames byte for byte, transfers, ends, and forgets", async () => {
    const a = await fx.staff("alice");
    const queues = collect<QueueSnapshot>(a, "queue");

    const s = await fx.survivor();
    expect(s.queued.position).toBe(1);
    // Alice is away: nobody could take the chat now, and the survivor is told so.
    expect(s.queued.counselorAvailable).toBe(false);
    await settle();
    expect(s.positions.at(-1)).toMatchObject({
      sessionId: s.queued.sessionId,
      position: 1,
      counselorAvailable: false,
    });
    expect(queues.at(-1)?.entries.map((e) => e.sessionId)).toEqual([s.queued.sessionId]);

    // Take (away counselors may pick chats themselves; only `break` refuses).
    const taken = await request<Reply<{ assigned: Assigned }>>(a as Socket, "take", {});
    if (!taken.ok) throw new Error(taken.error);
    const sessionId = s.queued.sessionId;
    expect(taken.assigned.sessionId).toBe(sessionId);
    expect(taken.assigned.epoch).toBe(0);
    expect(new Uint8Array(taken.assigned.survivorKey)).toEqual(new Uint8Array(s.key));

    // The signed handshake blob reaches the survivor unchanged.
    const handshake = opaque(700);
    const accepted = next<Accepted>(s.socket, "accepted");
    expect(await request(a as Socket, "accept", { sessionId, epoch: 0, handshake })).toEqual({ ok: true });
    const got = await accepted;
    expect(got.epoch).toBe(0);
    expect(new Uint8Array(got.handshake)).toEqual(new Uint8Array(handshake));

    // Frames both ways, with end-to-end acks routed back; typing travels as just another frame.
    const toStaff = collect<Frame>(a, "frame");
    const toSurvivor = collect<Frame>(s.socket, "frame");
    const acksAtSurvivor = collect<Ack>(s.socket, "ack");
    const acksAtStaff = collect<Ack>(a, "ack");
    const sent = [opaque(1040), opaque(1040), opaque(300)];
    for (const [seq, ciphertext] of sent.entries()) {
      expect(await request(s.socket as Socket, "frame", { sessionId, epoch: 0, seq, ciphertext })).toEqual({
        ok: true,
      });
    }
    const back = [opaque(4160), opaque(17)];
    for (const [seq, ciphertext] of back.entries()) a.emit("frame", { sessionId, epoch: 0, seq, ciphertext });
    await settle();
    expect(toStaff.map((f) => [f.seq, new Uint8Array(f.ciphertext)])).toEqual(
      sent.map((c, i) => [i, new Uint8Array(c)]),
    );
    expect(toSurvivor.map((f) => [f.seq, new Uint8Array(f.ciphertext)])).toEqual(
      back.map((c, i) => [i, new Uint8Array(c)]),
    );
    a.emit("ack", { sessionId, epoch: 0, seq: 2 });
    s.socket.emit("ack", { sessionId, epoch: 0, seq: 1 });
    await settle();
    expect(acksAtSurvivor).toEqual([{ sessionId, epoch: 0, seq: 2 }]);
    expect(acksAtStaff).toEqual([{ sessionId, epoch: 0, seq: 1 }]);

    // Transfer to Bob: new epoch, fresh survivor key, sealed note forwarded to Bob only.
    const b = await fx.staff("bob", 2, "available");
    const transferring = next<Transferring>(s.socket, "transferring");
    const note = opaque(900);
    expect(await request(a as Socket, "transfer", { sessionId, to: "bob", note })).toEqual({ ok: true });
    expect(await transferring).toEqual({ sessionId, epoch: 1 });
    // The old epoch is dead for both sides from here on.
    expect(
      await request(s.socket as Socket, "frame", { sessionId, epoch: 0, seq: 3, ciphertext: opaque(10) }),
    ).toEqual({
      ok: false,
      error: "stale-epoch",
    });
    expect(
      await request(a as Socket, "frame", { sessionId, epoch: 0, seq: 2, ciphertext: opaque(10) }),
    ).toEqual({
      ok: false,
      error: "not-your-session",
    });
    const assignedToBob = next<Assigned>(b, "assigned");
    const freshKey = opaque(32);
    expect(await request(s.socket as Socket, "transfer-key", { sessionId, survivorKey: freshKey })).toEqual({
      ok: true,
    });
    const forBob = await assignedToBob;
    expect(forBob.epoch).toBe(1);
    expect(new Uint8Array(forBob.survivorKey)).toEqual(new Uint8Array(freshKey));
    expect(forBob.transfer?.from).toBe("alice");
    expect(forBob.transfer?.fromName).toBe("Counselor alice");
    expect(new Uint8Array(forBob.transfer?.note ?? [])).toEqual(new Uint8Array(note));

    const aliceEnded = next<StaffEnded>(a, "ended");
    const accepted2 = next<Accepted>(s.socket, "accepted");
    const handshake2 = opaque(650);
    expect(await request(b as Socket, "accept", { sessionId, epoch: 1, handshake: handshake2 })).toEqual({
      ok: true,
    });
    expect(new Uint8Array((await accepted2).handshake)).toEqual(new Uint8Array(handshake2));
    expect(await aliceEnded).toEqual({ sessionId, reason: "transferred" });

    const toBob = collect<Frame>(b, "frame");
    const c2 = opaque(1040);
    expect(
      await request(s.socket as Socket, "frame", { sessionId, epoch: 1, seq: 0, ciphertext: c2 }),
    ).toEqual({ ok: true });
    await settle();
    expect(toBob.map((f) => new Uint8Array(f.ciphertext))).toEqual([new Uint8Array(c2)]);

    // Bob ends; the survivor is told; nothing about the session remains.
    const ended = next<SurvivorEnded>(s.socket, "ended");
    // Bob gets the chat's one-time wrap-up token; Alice, who handed it over, got none.
    expect(await request(b as Socket, "leave", { sessionId, reason: "ended" })).toEqual({
      ok: true,
      wrapup: WRAPUP_TOKEN,
    });
    expect(await ended).toEqual({ sessionId, reason: "counselor-ended" });
    await settle();
    expect(fx.h.relay.counts()).toMatchObject({ waiting: 0, active: 0 });
    expect(await fx.h.store.counts()).toMatchObject({ sessions: 0, queued: 0 });

    fx.closeTracked();
    await new Promise((r) => setTimeout(r, 600));
    expect(fx.h.relay.counts()).toEqual({ waiting: 0, active: 0, survivors: 0, staff: 0 });
    // Only the spent proof-of-work nonce is left, and it expires on its own.
    expect(await fx.h.store.counts()).toEqual({ sessions: 0, queued: 0, staff: 0, spent: 1 });
  });

  it("auto-assigns to an available counselor and survivor leave tells the counselor", async () => {
    const a = await fx.staff("alice", 2, "available");
    const assigned = next<Assigned>(a, "assigned");
    const s = await fx.survivor();
    expect((await assigned).sessionId).toBe(s.queued.sessionId);
    const ended = next<StaffEnded>(a, "ended");
    s.socket.emit("leave", { sessionId: s.queued.sessionId, reason: "quick-exit" });
    expect(await ended).toEqual({
      sessionId: s.queued.sessionId,
      reason: "quick-exit",
      wrapup: WRAPUP_TOKEN,
    });
    await settle();
    expect(await fx.h.store.counts()).toMatchObject({ sessions: 0, queued: 0 });
  });

  it("routes a chat only to a counselor who speaks its language; it waits for one, and take picks by language", async () => {
    const en = track(
      await connectStaff(fx.h.url, fx.h.addStaff(principal("english", { languages: ["en"] })), "available"),
    );
    const enAssigned = collect<Assigned>(en, "assigned");
    const urdu = await joinAsSurvivor(fx.h.url, { language: "ur" });
    track(urdu.socket);
    await settle();
    // Nobody who speaks Urdu: the chat waits even though an English-only counselor is free.
    expect(enAssigned).toEqual([]);
    // "Longest waiting" for the English-only counselor is none: the Urdu chat is not theirs.
    expect(await request(en as Socket, "take", {})).toEqual({ ok: false, error: "no-one-waiting" });
    const english = await joinAsSurvivor(fx.h.url, { language: "en" });
    track(english.socket);
    await vi.waitFor(() => expect(enAssigned.map((a) => a.sessionId)).toEqual([english.queued.sessionId]));

    const ur = track(
      await connectStaff(fx.h.url, fx.h.addStaff(principal("urdu", { languages: ["ur"] })), "away"),
    );
    const urAssigned = next<Assigned>(ur, "assigned");
    expect(await request(ur as Socket, "status", { status: "available" })).toEqual({ ok: true });
    const got = await urAssigned;
    expect(got.sessionId).toBe(urdu.queued.sessionId);
    expect(got.language).toBe("ur");
    expect(enAssigned).toHaveLength(1);
  });

  it("a survivor who leaves is answered; closing the socket on purpose is leaving, a dropped network is not", async () => {
    // A long grace: anything that ends "at once" here did not wait for it.
    const g = await startRelay({ resumeGraceMs: 60_000 });
    try {
      const a = track(
        await connectStaff(g.url, g.addStaff(principal("alice", { chatLimit: 4 })), "available"),
      );
      const ends = collect<StaffEnded>(a, "ended");
      const peers = collect<{ sessionId: string; connected: boolean }>(a, "peer");
      const chat = async () => {
        const assigned = next<Assigned>(a, "assigned");
        const s = await joinAsSurvivor(g.url);
        track(s.socket);
        await assigned;
        return s;
      };

      // `leave` with a reply: the answer comes once the session is gone.
      const s1 = await chat();
      expect(
        await request(s1.socket, "leave", { sessionId: s1.queued.sessionId, reason: "quick-exit" }),
      ).toEqual({ ok: true });
      expect(ends).toContainEqual({
        sessionId: s1.queued.sessionId,
        reason: "quick-exit",
        wrapup: WRAPUP_TOKEN,
      });

      // A deliberate disconnect (End chat, quick exit, pagehide) ends the session now.
      const s2 = await chat();
      s2.socket.disconnect();
      await vi.waitFor(() =>
        expect(ends).toContainEqual({
          sessionId: s2.queued.sessionId,
          reason: "visitor-left",
          wrapup: WRAPUP_TOKEN,
        }),
      );

      // `leave` and the disconnect in one write: socket.io drops the event, the disconnect ends it.
      const s3 = await chat();
      s3.socket.emit("leave", { sessionId: s3.queued.sessionId, reason: "quick-exit" });
      s3.socket.disconnect();
      await vi.waitFor(() => expect(ends.map((e) => e.sessionId)).toContain(s3.queued.sessionId));

      // A dropped network is not leaving: the counselor hears "peer gone" and the session waits
      // for a resume.
      const s4 = await chat();
      dropNetwork(s4.socket);
      await vi.waitFor(() =>
        expect(peers).toContainEqual({ sessionId: s4.queued.sessionId, connected: false }),
      );
      expect(ends.map((e) => e.sessionId)).not.toContain(s4.queued.sessionId);
      expect(await g.store.counts()).toMatchObject({ sessions: 1 });
      expect(peers.filter((p) => p.sessionId !== s4.queued.sessionId)).toEqual([]);
    } finally {
      fx.closeTracked();
      await g.close();
    }
  });

  it("respects the chat limit and status, and pushes positions to waiting survivors", async () => {
    const a = await fx.staff("alice", 1, "available");
    const assigned = collect<Assigned>(a, "assigned");
    const s1 = await fx.survivor();
    const s2 = await fx.survivor();
    const s3 = await fx.survivor();
    await settle();
    expect(assigned.map((x) => x.sessionId)).toEqual([s1.queued.sessionId]);
    const positions = collect<QueuePosition>(s3.socket, "position");
    expect(await request(a as Socket, "take", {})).toEqual({ ok: false, error: "chat-limit" });
    expect(await request(a as Socket, "status", { status: "break" })).toEqual({ ok: true });
    // s1 leaves: on break, Alice gets nothing new; s3 moves up.
    s1.socket.emit("leave", { sessionId: s1.queued.sessionId, reason: "ended" });
    await settle();
    expect(assigned).toHaveLength(1);
    expect(positions.at(-1)).toMatchObject({
      sessionId: s3.queued.sessionId,
      position: 2,
      counselorAvailable: false,
    });
    expect(await request(a as Socket, "take", {})).toEqual({ ok: false, error: "not-available" });
    // Back to available: the longest-waiting chat (s2) is assigned.
    expect(await request(a as Socket, "status", { status: "available" })).toEqual({ ok: true });
    await settle();
    expect(assigned.map((x) => x.sessionId)).toEqual([s1.queued.sessionId, s2.queued.sessionId]);
    expect(positions.at(-1)).toMatchObject({
      sessionId: s3.queued.sessionId,
      position: 1,
      counselorAvailable: true,
    });
  });

  it("sends supervisors load snapshots without content", async () => {
    const sup = track(
      await connectStaff(fx.h.url, fx.h.addStaff(principal("sue", { role: "supervisor" })), "away"),
    );
    const loads = collect<{ counselors: { id: string; chats: number }[]; waiting: number }>(sup, "load");
    await fx.staff("alice");
    const s = await fx.survivor();
    await settle();
    const last = loads.at(-1);
    expect(last?.waiting).toBe(1);
    expect(last?.counselors.map((c) => c.id).sort()).toEqual(["alice", "sue"]);
    expect(JSON.stringify(last)).not.toContain(s.queued.sessionId);
  });
});
