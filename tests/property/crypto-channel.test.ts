import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { associatedData, associatedDataPrefix } from "../../shared/crypto/associated-data.ts";
import { createChannel } from "../../shared/crypto/channel.ts";
import { generateOrgKeyPair } from "../../shared/crypto/staff/index.ts";
import { randomBytes } from "../../shared/crypto/random.ts";
import { sodium } from "../../shared/crypto/sodium.ts";
import { certify, cryptoReady, establish, mustOk, SESSION_ID } from "../support/crypto-kit.ts";

beforeAll(cryptoReady);

function established() {
  const org = generateOrgKeyPair();
  return establish(org, certify(org));
}

describe("channel (property)", () => {
  it("open(seal(x)) = x for any sequence of payloads, both directions", () => {
    const { survivor, counselor } = established();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 4094 })), { maxLength: 6 }),
        (messages) => {
          for (const [fromSurvivor, payload] of messages) {
            const [tx, rx] = fromSurvivor
              ? [survivor.channel, counselor.channel]
              : [counselor.channel, survivor.channel];
            const frame = mustOk(tx.seal(payload));
            tx.ack(frame.seq);
            expect(mustOk(rx.open(frame.seq, frame.ciphertext)).payload).toEqual(payload);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("any flipped ciphertext byte fails, and the genuine frame still opens after", () => {
    const { survivor, counselor } = established();
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (payload, at, mask) => {
          const frame = mustOk(survivor.channel.seal(payload));
          survivor.channel.ack(frame.seq);
          const flipped = frame.ciphertext.slice();
          const index = at % flipped.length;
          flipped[index]! ^= mask;
          expect(counselor.channel.open(frame.seq, flipped)).toEqual({ ok: false, error: "decrypt-failed" });
          expect(mustOk(counselor.channel.open(frame.seq, frame.ciphertext)).payload).toEqual(payload);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("any flipped associated-data byte (session id, direction, epoch, seq) fails", () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        (at, mask, epoch) => {
          const key = randomBytes(32);
          const header = randomBytes(24);
          const sender = createChannel({
            sessionId: SESSION_ID,
            epoch,
            sendDirection: "survivor-to-counselor",
            send: { key: key.slice(), header: header.slice() },
            receive: { key: randomBytes(32), header: randomBytes(24) },
          });
          const frame = mustOk(sender.seal(new Uint8Array([1, 2, 3])));
          const ad = associatedData(
            associatedDataPrefix(SESSION_ID, "survivor-to-counselor", epoch),
            frame.seq,
          );
          const flipped = ad.slice();
          flipped[at % ad.length]! ^= mask;
          const s = sodium();
          const bad = s.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
          expect(s.crypto_secretstream_xchacha20poly1305_pull(bad, frame.ciphertext, flipped)).toBe(false);
          const good = s.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
          expect(s.crypto_secretstream_xchacha20poly1305_pull(good, frame.ciphertext, ad)).not.toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("open never throws on arbitrary input", () => {
    const { counselor } = established();
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 5 }), fc.uint8Array({ maxLength: 5000 }), (seq, bytes) => {
        const result = counselor.channel.open(seq, bytes);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
