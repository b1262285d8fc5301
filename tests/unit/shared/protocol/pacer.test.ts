import { describe, expect, it } from "vitest";
import { FRAME_BURST, FRAMES_PER_SECOND } from "../../../../shared/protocol/limits.ts";
import {
  FramePacer,
  PACED_BURST,
  PACED_PER_SECOND,
  RETRY_BASE_MS,
  RETRY_MAX_MS,
} from "../../../../shared/protocol/pacer.ts";
import { manualClock } from "../../../support/manual-clock.ts";

describe("frame pacer (the clients' side of the relay's frame limit)", () => {
  it("stays under the relay's bucket: a burst below FRAME_BURST, then a pace below FRAMES_PER_SECOND", () => {
    expect(PACED_BURST).toBeLessThan(FRAME_BURST);
    expect(PACED_PER_SECOND).toBeLessThan(FRAMES_PER_SECOND);
    const { clock, advance } = manualClock();
    const sent: number[] = [];
    const pacer = new FramePacer({ canSend: () => true, clock });
    for (let i = 0; i < 200; i++) pacer.send(`k${i}`, () => sent.push(i) > 0);
    expect(sent).toHaveLength(PACED_BURST);
    advance(1000);
    expect(sent.length).toBe(PACED_BURST + Math.floor(PACED_PER_SECOND));
    advance(60_000);
    // Every frame, once, in the order given.
    expect(sent).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // The relay's own bucket (same sizes as server/relay/rate-limit.ts) would have taken them all.
    let tokens = FRAME_BURST;
    let at = 0;
    const times: number[] = [];
    const { clock: c2, advance: adv2 } = manualClock();
    const timed = new FramePacer({ canSend: () => true, clock: c2 });
    for (let i = 0; i < 200; i++) timed.send(`k${i}`, () => times.push(c2.now()) > 0);
    adv2(60_000);
    for (const t of times) {
      tokens = Math.min(FRAME_BURST, tokens + ((t - at) * FRAMES_PER_SECOND) / 1000);
      at = t;
      expect(tokens).toBeGreaterThanOrEqual(1);
      tokens -= 1;
    }
  });

  it("queues a key once, skips a frame that no longer needs sending without spending a token", () => {
    const { clock } = manualClock();
    const sent: string[] = [];
    const pacer = new FramePacer({ canSend: () => false, clock });
    pacer.send("a", () => sent.push("a") > 0);
    pacer.send("a", () => sent.push("a again") > 0);
    pacer.send("gone", () => false);
    for (let i = 0; i < PACED_BURST; i++) pacer.send(`b${i}`, () => sent.push(`b${i}`) > 0);
    expect(pacer.queued).toBe(PACED_BURST + 2);
    expect(sent).toEqual([]);
  });

  it("sends nothing while it cannot (offline, not yet resumed), and everything in order on wake", () => {
    const { clock, advance } = manualClock();
    let online = false;
    const sent: number[] = [];
    const pacer = new FramePacer({ canSend: () => online, clock });
    for (let i = 0; i < 5; i++) pacer.send(`k${i}`, () => sent.push(i) > 0);
    advance(10_000);
    expect(sent).toEqual([]);
    online = true;
    pacer.wake();
    expect(sent).toEqual([0, 1, 2, 3, 4]);
  });

  it("after `rate-limited` sends nothing for a back-off that doubles with each refusal in a row, up to a cap", () => {
    const { clock, advance } = manualClock();
    const sent: number[] = [];
    const pacer = new FramePacer({ canSend: () => true, clock });
    const waits: number[] = [];
    for (let r = 0; r < 7; r++) {
      pacer.refused();
      waits.push(pacer.pausedFor());
      const before = sent.length;
      pacer.send(`r${r}`, () => sent.push(r) > 0);
      advance(waits[r]! - 1);
      expect(sent.length).toBe(before);
      advance(1);
      expect(sent.length).toBe(before + 1);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 16, 16].map((m) => Math.min(RETRY_MAX_MS, RETRY_BASE_MS * m)));
    // Long after the last refusal, the back-off starts from its base again.
    advance(60_000);
    pacer.refused();
    expect(pacer.pausedFor()).toBe(RETRY_BASE_MS);
  });

  it("a new connection refills the bucket; a closed pacer sends nothing more", () => {
    const { clock, advance } = manualClock();
    const sent: number[] = [];
    const pacer = new FramePacer({ canSend: () => true, clock });
    for (let i = 0; i < PACED_BURST + 3; i++) pacer.send(`k${i}`, () => sent.push(i) > 0);
    expect(sent).toHaveLength(PACED_BURST);
    pacer.reset();
    expect(sent).toHaveLength(PACED_BURST + 3);
    for (let i = 0; i < PACED_BURST; i++) pacer.send(`m${i}`, () => sent.push(i) > 0);
    pacer.send("late", () => sent.push(-1) > 0);
    expect(pacer.queued).toBeGreaterThan(0);
    pacer.close();
    advance(60_000);
    expect(sent).not.toContain(-1);
  });

  it("a resend queued after newer frames leaves before them (ordered by sequence number)", () => {
    const { clock, advance } = manualClock();
    const sent: number[] = [];
    const pacer = new FramePacer({ canSend: () => true, clock });
    pacer.refused();
    for (const seq of [3, 4]) pacer.send(`k${seq}`, () => sent.push(seq) > 0, seq);
    for (const seq of [0, 1, 2, 3, 4]) pacer.send(`k${seq}`, () => sent.push(seq) > 0, seq);
    advance(RETRY_BASE_MS);
    expect(sent).toEqual([0, 1, 2, 3, 4]);
  });
});
