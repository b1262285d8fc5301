import { describe, expect, it } from "vitest";
import { createImagePacer, createImageQuota } from "../../../../shared/protocol/image-pacer.ts";
import { splitImage } from "../../../../shared/protocol/image-transfer.ts";
import {
  IMAGE_CHUNK_BYTES,
  IMAGE_CHUNK_WINDOW,
  MAX_IMAGE_BYTES,
  MAX_IMAGES_PER_CHAT,
} from "../../../../shared/protocol/limits.ts";

function parts(id: string, chunks: number) {
  const split = splitImage({
    id,
    mime: "image/jpeg",
    bytes: new Uint8Array(chunks * IMAGE_CHUNK_BYTES).fill(7),
    width: 1,
    height: 1,
  });
  if (!split.ok) throw new Error(split.error);
  return split.value;
}

/** A manual clock: `step` runs the one pending timer, as the browser would when it is due. */
function harness(inFlight: () => number, sendOk = () => true) {
  const timers: (() => void)[] = [];
  const sent: string[] = [];
  const done: [string, boolean][] = [];
  const pacer = createImagePacer({
    send: async (payload, last) => {
      sent.push(`${payload.type}${payload.type === "image-chunk" ? payload.index : ""}${last ? "!" : ""}`);
      return sendOk();
    },
    inFlight,
    schedule: (run) => {
      timers.push(run);
      return () => timers.splice(timers.indexOf(run), 1);
    },
    onProgress: () => {},
    onDone: (id, ok) => done.push([id, ok]),
  });
  const step = async () => {
    const run = timers.shift();
    run?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { pacer, sent, done, step, pending: () => timers.length };
}

describe("image pacer", () => {
  it("hands over one payload per tick, marks the last chunk, and reports the image sent", async () => {
    const h = harness(() => 0);
    h.pacer.enqueue(parts("a", 3));
    for (let i = 0; i < 4; i++) await h.step();
    expect(h.sent).toEqual(["image", "image-chunk0", "image-chunk1", "image-chunk2!"]);
    expect(h.done).toEqual([["a", true]]);
    expect(h.pending()).toBe(0);
  });

  it("waits while the window of unacknowledged frames is full", async () => {
    let inFlight = IMAGE_CHUNK_WINDOW;
    const h = harness(() => inFlight);
    h.pacer.enqueue(parts("a", 2));
    await h.step();
    await h.step();
    expect(h.sent).toEqual([]);
    inFlight = 0;
    await h.step();
    expect(h.sent).toEqual(["image"]);
  });

  it("fails the whole image when the channel refuses a part, and clear drops the rest", async () => {
    let ok = true;
    const h = harness(
      () => 0,
      () => ok,
    );
    h.pacer.enqueue(parts("a", 3));
    await h.step();
    ok = false;
    await h.step();
    expect(h.done).toEqual([["a", false]]);
    expect(h.pending()).toBe(0);
    h.pacer.enqueue(parts("b", 2));
    h.pacer.clear();
    await h.step();
    expect(h.sent).toEqual(["image", "image-chunk0"]);
  });

  it("the sender's quota: images per chat and bytes per minute", () => {
    const quota = createImageQuota();
    expect(quota.take(MAX_IMAGE_BYTES, 0).ok).toBe(true);
    expect(quota.take(MAX_IMAGE_BYTES, 1).ok).toBe(true);
    expect(quota.take(MAX_IMAGE_BYTES, 2).ok).toBe(true);
    expect(quota.take(MAX_IMAGE_BYTES, 3)).toEqual({ ok: false, error: "too-fast" });
    for (let i = 3; i < MAX_IMAGES_PER_CHAT; i++) expect(quota.take(1, 60_000 * (i + 1)).ok).toBe(true);
    expect(quota.take(1, 60_000 * 99)).toEqual({ ok: false, error: "too-many" });
  });
});
