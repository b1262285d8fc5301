import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { generateOrgKeyPair } from "../../shared/crypto/staff/index.ts";
import { certify, cryptoReady, establish, mustOk } from "../support/crypto-kit.ts";
import { pad, unpad } from "../../shared/crypto/padding.ts";
import {
  createImageReceiver,
  type ImageChunkPayload,
  type ImageHeader,
  type ReceiverEvent,
  splitImage,
} from "../../shared/protocol/image-transfer.ts";
import {
  IMAGE_CHUNK_BYTES,
  IMAGE_STALL_MS,
  MAX_IMAGE_BYTES,
  PADDING_BUCKETS,
} from "../../shared/protocol/limits.ts";
import { decodePayload, encodePayload } from "../../shared/protocol/payloads.ts";

type Part = ImageHeader | ImageChunkPayload;

beforeAll(cryptoReady);

const image = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 3 * IMAGE_CHUNK_BYTES + 17 }),
});

function split(input: { id: string; bytes: Uint8Array }): Part[] {
  const parts = splitImage({ ...input, mime: "image/jpeg", width: 10, height: 20 });
  if (!parts.ok) throw new Error(parts.error);
  return [...parts.value];
}

/** Through the wire form (encode, pad, unpad, decode), as the channel would carry each part. */
function wire(part: Part): Uint8Array {
  const padded = pad(encodePayload(part));
  if (!padded.ok) throw new Error("too large");
  return padded.value;
}
function fromWire(bytes: Uint8Array): Part | null {
  const unpadded = unpad(bytes);
  if (!unpadded.ok) return null;
  const decoded = decodePayload(unpadded.value);
  if (!decoded.ok) return null;
  const payload = decoded.value;
  return payload.type === "image" || payload.type === "image-chunk" ? payload : null;
}

function receive(frames: readonly Uint8Array[]): ReceiverEvent[] {
  const receiver = createImageReceiver();
  const events: ReceiverEvent[] = [];
  let now = 0;
  for (const frame of frames) {
    const part = fromWire(frame);
    if (part !== null) events.push(...receiver.accept(part, now++));
  }
  events.push(...receiver.check(now + IMAGE_STALL_MS));
  return events;
}

const completed = (events: readonly ReceiverEvent[]) => events.filter((e) => e.type === "complete");
const failed = (events: readonly ReceiverEvent[]) => events.filter((e) => e.type === "failed");

describe("image chunking (property)", () => {
  it("reassembles exactly what was split, and every chunk frame fills the largest bucket but the last", () => {
    fc.assert(
      fc.property(image, (input) => {
        const frames = split(input).map(wire);
        for (const frame of frames.slice(1, -1))
          expect(frame.length).toBe(PADDING_BUCKETS[PADDING_BUCKETS.length - 1]);
        const events = receive(frames);
        expect(failed(events)).toEqual([]);
        const done = completed(events);
        expect(done).toHaveLength(1);
        expect(done[0]?.type === "complete" && done[0].image.bytes).toEqual(input.bytes);
      }),
      { numRuns: 25 },
    );
  });

  it("a lost chunk fails the image (no partial image, ever)", () => {
    fc.assert(
      fc.property(image, fc.nat(), (input, pick) => {
        const frames = split(input).map(wire);
        const lost = 1 + (pick % (frames.length - 1));
        const events = receive(frames.filter((_, i) => i !== lost));
        expect(completed(events)).toEqual([]);
        expect(failed(events)).toHaveLength(1);
      }),
      { numRuns: 25 },
    );
  });

  it("a duplicated chunk fails the image", () => {
    fc.assert(
      fc.property(image, fc.nat(), (input, pick) => {
        const frames = split(input).map(wire);
        const twice = 1 + (pick % (frames.length - 1));
        const events = receive([...frames.slice(0, twice + 1), ...frames.slice(twice)]);
        expect(failed(events).length).toBeGreaterThanOrEqual(1);
        // The last chunk repeated arrives after the image was complete: the image stands (it is
        // exactly what was sent) and the stray repeat is reported. Any earlier repeat fails it.
        const done = completed(events);
        if (twice === frames.length - 1)
          expect(done.map((e) => e.type === "complete" && e.image.bytes)).toEqual([input.bytes]);
        else expect(done).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it("reordered chunks fail the image", () => {
    const several = fc.record({
      id: fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
      bytes: fc.uint8Array({ minLength: IMAGE_CHUNK_BYTES + 1, maxLength: 3 * IMAGE_CHUNK_BYTES + 17 }),
    });
    fc.assert(
      fc.property(several, fc.nat(), fc.nat(), (input, a, b) => {
        const frames = split(input).map(wire);
        const i = 1 + (a % (frames.length - 1));
        let j = 1 + (b % (frames.length - 1));
        if (j === i) j = i === 1 ? 2 : i - 1;
        const swapped = [...frames];
        [swapped[i], swapped[j]] = [frames[j] as Uint8Array, frames[i] as Uint8Array];
        const events = receive(swapped);
        expect(completed(events)).toEqual([]);
        expect(failed(events).length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 25 },
    );
  });

  it("any flipped bit in a chunk's payload fails the image (the digest), never a wrong image", () => {
    fc.assert(
      fc.property(image, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), (input, which, at, bit) => {
        const frames = split(input).map(wire);
        const index = 1 + (which % (frames.length - 1));
        const frame = (frames[index] as Uint8Array).slice();
        const payloadLength = new DataView(frame.buffer).getUint16(0);
        const position = 2 + (at % payloadLength);
        frame[position] = (frame[position] ?? 0) ^ (1 << bit);
        frames[index] = frame;
        const events = receive(frames);
        expect(completed(events)).toEqual([]);
        expect(failed(events).length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 40 },
    );
  });

  it("through the encrypted channel: any flipped ciphertext byte of any part fails the whole image", () => {
    const org = generateOrgKeyPair();
    fc.assert(
      fc.property(image, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (input, which, at, mask) => {
        const { survivor, counselor } = establish(org, certify(org));
        const sealed = split(input).map((part) => mustOk(survivor.channel.seal(encodePayload(part))));
        const victim = which % sealed.length;
        const receiver = createImageReceiver();
        const events: ReceiverEvent[] = [];
        sealed.forEach((frame, i) => {
          const ciphertext = frame.ciphertext.slice();
          if (i === victim)
            ciphertext[at % ciphertext.length] = (ciphertext[at % ciphertext.length] ?? 0) ^ mask;
          const opened = counselor.channel.open(frame.seq, ciphertext);
          if (!opened.ok) return;
          const decoded = decodePayload(opened.value.payload);
          if (decoded.ok && (decoded.value.type === "image" || decoded.value.type === "image-chunk"))
            events.push(...receiver.accept(decoded.value, i));
        });
        events.push(...receiver.check(sealed.length + IMAGE_STALL_MS));
        expect(completed(events)).toEqual([]);
        // A flipped header means no image ever started; otherwise the started image fails.
        if (victim > 0) expect(failed(events)).toHaveLength(1);
      }),
      { numRuns: 15 },
    );
  });

  it("refuses more than MAX_IMAGE_BYTES", () => {
    const parts = splitImage({
      id: "a",
      mime: "image/webp",
      bytes: new Uint8Array(MAX_IMAGE_BYTES + 1),
      width: 1,
      height: 1,
    });
    expect(parts).toEqual({ ok: false, error: "too-large" });
  });
});
