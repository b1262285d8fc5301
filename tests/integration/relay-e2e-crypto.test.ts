import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Channel,
  counselorAccept,
  createSurvivorHandshake,
  openHandoverNote,
  sealHandoverNote,
} from "../../shared/crypto/index.ts";
import {
  type Accepted,
  type Ack,
  type Assigned,
  decodePayload,
  encodePayload,
  type Frame,
  type Payload,
  PROTOCOL_VERSION,
  type Queued,
  type Reply,
  type StaffEnded,
  type SurvivorEnded,
  type Transferring,
} from "../../shared/protocol/index.ts";
import { certify, cryptoReady, makeOrg, mustOk } from "../support/crypto-kit.ts";
import { collect, connectStaff, next, proof, request, survivorClient } from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

// A plaintext the relay must never see: in no packet it handled, in no log line.
const CANARY = `canary-${randomBytes(12).toString("hex")}`;
const canaryBytes = Buffer.from(CANARY, "utf8");

let h: Harness;
beforeAll(async () => {
  await cryptoReady();
  h = await startRelay();
});
afterAll(async () => {
  await h.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bytes = (x: Uint8Array | ArrayBuffer) => new Uint8Array(x instanceof ArrayBuffer ? x : x);

function seal(channel: Channel, payload: Payload) {
  return mustOk(channel.seal(encodePayload(payload)));
}

function open(channel: Channel, frame: Frame): Payload {
  const opened = mustOk(channel.open(frame.seq, bytes(frame.ciphertext)));
  return mustOk(decodePayload(opened.payload));
}

describe("end to end through the relay with the real crypto core", () => {
  it("handshakes, exchanges encrypted messages both ways, transfers with a sealed note, and never exposes plaintext", async () => {
    const org = makeOrg();
    const alice = certify(org, { staffId: "alice" as never, displayName: "Ayesha" });
    const bob = certify(org, { staffId: "bob" as never, displayName: "Bilal" });
    const a = (await connectStaff(h.url, h.addStaff(principal("alice")), "away")) as Socket;

    // Survivor: ephemeral key, proof-of-work, join.
    const s = survivorClient(h.url) as Socket;
    const challenge = await next<{ challenge: string; difficulty: number; expiresAt: number }>(
      s,
      "challenge",
    );
    const hs = createSurvivorHandshake();
    const joined = await request<Reply<Queued>>(s, "join", {
      version: PROTOCOL_VERSION,
      pow: await proof(challenge),
      survivorKey: Buffer.from(hs.publicKey),
      language: "ur",
      partner: "demo",
    });
    if (!joined.ok) throw new Error(joined.error);
    const sessionId = joined.sessionId;

    // Counselor takes and signs; the survivor verifies the chain against the org key.
    const taken = await request<Reply<{ assigned: Assigned }>>(a, "take", {});
    if (!taken.ok) throw new Error(taken.error);
    const counselorSide = mustOk(
      counselorAccept({
        sessionId,
        epoch: 0,
        survivorPublicKey: bytes(taken.assigned.survivorKey),
        identitySecretKey: alice.identity.secretKey,
        certificate: alice.certificate,
      }),
    );
    const accepted = next<Accepted>(s, "accepted");
    await request(a, "accept", { sessionId, epoch: 0, handshake: Buffer.from(counselorSide.handshake) });
    const survivorSide = mustOk(
      hs.complete(bytes((await accepted).handshake), {
        sessionId,
        epoch: 0,
        orgPublicKey: org.publicKey,
        nowMs: Date.now(),
      }),
    );
    expect(survivorSide.safetyCode).toBe(counselorSide.safetyCode);
    expect(survivorSide.counselor.displayName).toBe("Ayesha");

    // Messages both ways, typing, and acks.
    const atStaff = collect<Frame>(a, "frame");
    const atSurvivor = collect<Frame>(s, "frame");
    const acks = collect<Ack>(a, "ack");
    for (const p of [
      { type: "for-whom", value: "self" },
      { type: "typing", active: true },
      { type: "text", id: "m1", body: `${CANARY} someone is threatening me` },
    ] as const) {
      const f = seal(survivorSide.channel, p);
      s.emit("frame", { sessionId, epoch: 0, seq: f.seq, ciphertext: Buffer.from(f.ciphertext) });
    }
    const reply = seal(counselorSide.channel, {
      type: "text",
      id: "c1",
      body: `${CANARY} you are safe here`,
    });
    a.emit("frame", { sessionId, epoch: 0, seq: reply.seq, ciphertext: Buffer.from(reply.ciphertext) });
    await sleep(100);
    expect(atStaff.map((f) => open(counselorSide.channel, f))).toEqual([
      { type: "for-whom", value: "self" },
      { type: "typing", active: true },
      { type: "text", id: "m1", body: `${CANARY} someone is threatening me` },
    ]);
    expect(atSurvivor.map((f) => open(survivorSide.channel, f))).toEqual([
      { type: "text", id: "c1", body: `${CANARY} you are safe here` },
    ]);
    s.emit("ack", { sessionId, epoch: 0, seq: 2 });
    await sleep(50);
    expect(acks).toEqual([{ sessionId, epoch: 0, seq: 2 }]);

    // Transfer to Bob with a note sealed to Bob's identity key.
    const b = (await connectStaff(h.url, h.addStaff(principal("bob")), "available")) as Socket;
    const note = mustOk(
      sealHandoverNote({
        note: encodePayload({ type: "handover-note", text: `${CANARY} prefers Urdu` }),
        sessionId,
        recipientPublicKey: bob.identity.publicKey,
        senderSecretKey: alice.identity.secretKey,
        senderCertificate: alice.certificate,
      }),
    );
    const transferring = next<Transferring>(s, "transferring");
    expect(await request(a, "transfer", { sessionId, to: "bob", note: Buffer.from(note) })).toEqual({
      ok: true,
    });
    expect((await transferring).epoch).toBe(1);
    const hs2 = createSurvivorHandshake();
    const assigned = next<Assigned>(b, "assigned");
    await request(s, "transfer-key", { sessionId, survivorKey: Buffer.from(hs2.publicKey) });
    const forBob = await assigned;
    const opened = mustOk(
      openHandoverNote(bytes(forBob.transfer?.note ?? new Uint8Array()), {
        sessionId,
        recipientPublicKey: bob.identity.publicKey,
        recipientSecretKey: bob.identity.secretKey,
        orgPublicKey: org.publicKey,
        nowMs: Date.now(),
      }),
    );
    expect(mustOk(decodePayload(opened.note))).toEqual({
      type: "handover-note",
      text: `${CANARY} prefers Urdu`,
    });
    const bobSide = mustOk(
      counselorAccept({
        sessionId,
        epoch: 1,
        survivorPublicKey: bytes(forBob.survivorKey),
        identitySecretKey: bob.identity.secretKey,
        certificate: bob.certificate,
      }),
    );
    const accepted2 = next<Accepted>(s, "accepted");
    const aliceEnded = next<StaffEnded>(a, "ended");
    await request(b, "accept", { sessionId, epoch: 1, handshake: Buffer.from(bobSide.handshake) });
    const survivorSide2 = mustOk(
      hs2.complete(bytes((await accepted2).handshake), {
        sessionId,
        epoch: 1,
        orgPublicKey: org.publicKey,
        nowMs: Date.now(),
      }),
    );
    expect(survivorSide2.counselor.displayName).toBe("Bilal");
    expect((await aliceEnded).reason).toBe("transferred");

    const atBob = collect<Frame>(b, "frame");
    const m = seal(survivorSide2.channel, { type: "text", id: "m2", body: `${CANARY} thank you` });
    s.emit("frame", { sessionId, epoch: 1, seq: m.seq, ciphertext: Buffer.from(m.ciphertext) });
    await sleep(50);
    expect(atBob.map((f) => open(bobSide.channel, f))).toEqual([
      { type: "text", id: "m2", body: `${CANARY} thank you` },
    ]);

    // End: the counselor closes its stream and leaves.
    const last = mustOk(bobSide.channel.close(encodePayload({ type: "end" })));
    b.emit("frame", { sessionId, epoch: 1, seq: last.seq, ciphertext: Buffer.from(last.ciphertext) });
    const ended = next<SurvivorEnded>(s, "ended");
    await sleep(30);
    await request(b, "leave", { sessionId, reason: "ended" });
    expect((await ended).reason).toBe("counselor-ended");
    for (const x of [a, b, s]) x.close();
    await sleep(50);
    expect(await h.store.counts()).toMatchObject({ sessions: 0, queued: 0 });

    // The canary check can fail: the recorder saw the survivor's public key go by...
    const everything = Buffer.concat(h.packets.map((p) => Buffer.from(p.data)));
    expect(everything.includes(Buffer.from(hs.publicKey))).toBe(true);
    expect(everything.includes(Buffer.from(m.ciphertext))).toBe(true);
    // ...but never the plaintext, in any packet or any log line.
    expect(h.packets.length).toBeGreaterThan(20);
    expect(everything.includes(canaryBytes)).toBe(false);
    expect(h.logs.length).toBeGreaterThan(3);
    expect(h.logs.join("").includes(CANARY)).toBe(false);
    expect(h.logs.join("")).not.toContain(sessionId);
    expect(h.logs.join("")).not.toContain("127.0.0.1");
  });
});
