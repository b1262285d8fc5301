import { beforeAll, describe, expect, it } from "vitest";
import { sodium } from "../../../../shared/crypto/sodium.ts";
import { generateOrgKeyPair } from "../../../../shared/crypto/staff/index.ts";
import { MAX_FRAME_BYTES, MAX_UNACKED_FRAMES, PADDING_BUCKETS } from "../../../../shared/protocol/limits.ts";
import { certify, cryptoReady, establish, mustOk, utf8 } from "../../../support/crypto-kit.ts";

beforeAll(cryptoReady);

function pair() {
  const org = generateOrgKeyPair();
  return establish(org, certify(org));
}

describe("channel", () => {
  it("carries payloads both ways, in order, with sequence numbers from 0", () => {
    const { survivor, counselor } = pair();
    const a = mustOk(survivor.channel.seal(utf8("hello")));
    const b = mustOk(survivor.channel.seal(utf8("are you there?")));
    expect([a.seq, b.seq]).toEqual([0, 1]);
    expect(mustOk(counselor.channel.open(a.seq, a.ciphertext))).toEqual({
      seq: 0,
      payload: utf8("hello"),
      final: false,
    });
    expect(mustOk(counselor.channel.open(b.seq, b.ciphertext)).payload).toEqual(utf8("are you there?"));
    const c = mustOk(counselor.channel.seal(utf8("yes, I am here")));
    expect(mustOk(survivor.channel.open(c.seq, c.ciphertext)).payload).toEqual(utf8("yes, I am here"));
  });

  it("gives equal safety codes on both sides, six digits", () => {
    const { survivor, counselor } = pair();
    expect(survivor.safetyCode).toBe(counselor.safetyCode);
    expect(survivor.safetyCode).toMatch(/^\d{3} \d{3}$/);
  });

  it("pads every frame to a bucket: the ciphertext length reveals only the bucket", () => {
    const { survivor } = pair();
    const sizes = [0, 1, 100, 254, 255, 1022, 1023, 4094].map(
      (n) => mustOk(survivor.channel.seal(new Uint8Array(n))).ciphertext.length - 17,
    );
    expect(sizes).toEqual([256, 256, 256, 256, 1024, 1024, 4096, 4096]);
    expect(Math.max(...PADDING_BUCKETS) + 17).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(survivor.channel.seal(new Uint8Array(4095))).toEqual({ ok: false, error: "too-large" });
  });

  it("draws no randomness per message (randombytes_buf costs ~150 µs a call on Node)", () => {
    const { survivor, counselor } = pair();
    const s = sodium() as unknown as Record<string, unknown>;
    const original = s.randombytes_buf;
    let calls = 0;
    s.randombytes_buf = (...args: unknown[]) => {
      calls++;
      return (original as (...a: unknown[]) => unknown)(...args);
    };
    try {
      for (let i = 0; i < 5; i++) {
        const frame = mustOk(survivor.channel.seal(utf8(`message ${i}`)));
        mustOk(counselor.channel.open(frame.seq, frame.ciphertext));
      }
    } finally {
      s.randombytes_buf = original;
    }
    expect(calls).toBe(0);
    // The spy itself works: a key generation goes through it.
    s.randombytes_buf = (...args: unknown[]) => {
      calls++;
      return (original as (...a: unknown[]) => unknown)(...args);
    };
    try {
      generateOrgKeyPair();
    } finally {
      s.randombytes_buf = original;
    }
    expect(calls).toBe(1);
  });

  it("keeps sealed frames until acked and resends the very same bytes", () => {
    const { survivor, counselor } = pair();
    const frames = [0, 1, 2].map((i) => mustOk(survivor.channel.seal(utf8(`m${i}`))));
    expect(survivor.channel.unacked()).toEqual(frames);
    survivor.channel.ack(0);
    expect(survivor.channel.unacked()).toEqual(frames.slice(1));
    // After a reconnect the survivor resends what is unacked; the counselor opens them once.
    mustOk(counselor.channel.open(frames[0]!.seq, frames[0]!.ciphertext));
    for (const frame of survivor.channel.unacked()) {
      expect(mustOk(counselor.channel.open(frame.seq, frame.ciphertext)).payload).toEqual(
        utf8(`m${frame.seq}`),
      );
    }
    for (const frame of frames) {
      expect(counselor.channel.open(frame.seq, frame.ciphertext)).toEqual({ ok: false, error: "duplicate" });
    }
    survivor.channel.ack(2);
    expect(survivor.channel.unacked()).toEqual([]);
  });

  it("refuses to hold more than MAX_UNACKED_FRAMES", () => {
    const { survivor } = pair();
    for (let i = 0; i < MAX_UNACKED_FRAMES; i++) mustOk(survivor.channel.seal(utf8("x")));
    expect(survivor.channel.seal(utf8("x"))).toEqual({ ok: false, error: "too-many-unacked" });
    survivor.channel.ack(0);
    expect(survivor.channel.seal(utf8("x")).ok).toBe(true);
  });

  it("closes a direction with a final frame", () => {
    const { survivor, counselor } = pair();
    const last = mustOk(counselor.channel.close(utf8('{"type":"end"}')));
    expect(counselor.channel.seal(utf8("more"))).toEqual({ ok: false, error: "closed" });
    expect(mustOk(survivor.channel.open(last.seq, last.ciphertext))).toEqual({
      seq: 0,
      payload: utf8('{"type":"end"}'),
      final: true,
    });
    expect(survivor.channel.open(1, last.ciphertext)).toEqual({ ok: false, error: "closed" });
    expect(survivor.channel.status()).toMatchObject({ receivedFinal: true, sentFinal: false });
    // The other direction is still open until the survivor closes it too.
    const reply = mustOk(survivor.channel.seal(utf8("bye")));
    expect(mustOk(counselor.channel.open(reply.seq, reply.ciphertext)).payload).toEqual(utf8("bye"));
  });

  it("wipe() makes every later call answer wiped and drops unacked frames", () => {
    const { survivor, counselor } = pair();
    const frame = mustOk(survivor.channel.seal(utf8("secret")));
    survivor.channel.wipe();
    counselor.channel.wipe();
    expect(survivor.channel.seal(utf8("x"))).toEqual({ ok: false, error: "wiped" });
    expect(survivor.channel.close(utf8("x"))).toEqual({ ok: false, error: "wiped" });
    expect(counselor.channel.open(frame.seq, frame.ciphertext)).toEqual({ ok: false, error: "wiped" });
    expect(survivor.channel.unacked()).toEqual([]);
    // The held ciphertext was zeroed in place.
    expect(frame.ciphertext.every((b) => b === 0)).toBe(true);
    expect(survivor.channel.status().wiped).toBe(true);
  });

  it("gives each epoch (transfer) independent keys", () => {
    const org = generateOrgKeyPair();
    const counselor = certify(org);
    const first = establish(org, counselor, { epoch: 0 });
    const second = establish(org, certify(org), { epoch: 1 });
    const frame = mustOk(first.survivor.channel.seal(utf8("to the first counselor")));
    expect(second.counselor.channel.open(frame.seq, frame.ciphertext)).toEqual({
      ok: false,
      error: "decrypt-failed",
    });
    const reply = mustOk(second.counselor.channel.seal(utf8("from the second counselor")));
    expect(first.survivor.channel.open(reply.seq, reply.ciphertext)).toEqual({
      ok: false,
      error: "decrypt-failed",
    });
    expect(mustOk(second.survivor.channel.open(reply.seq, reply.ciphertext)).payload).toEqual(
      utf8("from the second counselor"),
    );
  });
});
