import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, Frame, RelayError, Reply } from "../../shared/protocol/index.ts";
import { ACK_BURST, ACKS_PER_SECOND, FRAME_BURST, FRAMES_PER_SECOND } from "../../shared/protocol/index.ts";
import { activeChat, collect, opaque, request } from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

/**
 * Acknowledgements have a bucket of their own (so they never starve frames), but it is still a
 * bucket: a socket flooding acks, frames or both is cut at each bucket's size plus its refill,
 * and the other side receives no more than that.
 */
let h: Harness;
beforeAll(async () => {
  h = await startRelay();
});
afterAll(async () => {
  await h.close();
});

/** What a bucket can let through in `ms`: its size plus the refill, plus one for rounding. */
const allowance = (burst: number, perSecond: number, ms: number) =>
  burst + Math.ceil((perSecond * ms) / 1000) + 1;
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe("rate-limit floods", () => {
  it("a survivor flooding acks: the counselor receives at most the ack bucket, and the survivor's frames still pass", async () => {
    const chat = await activeChat(h.url, h.addStaff(principal("flood1")));
    const { sessionId } = chat;
    const atCounselor = collect<Ack>(chat.staff, "ack");
    const started = Date.now();
    for (let i = 0; i < 2000; i++) chat.survivor.emit("ack", { sessionId, epoch: 0, seq: i });
    // The flood is over when a frame sent after it has been answered (events are handled in order).
    const after = await request<Reply<Record<string, unknown>>>(chat.survivor, "frame", {
      sessionId,
      epoch: 0,
      seq: 0,
      ciphertext: opaque(40),
    });
    const elapsed = Date.now() - started;
    await settle();
    expect(after).toEqual({ ok: true });
    expect(atCounselor.length).toBeGreaterThanOrEqual(ACK_BURST);
    expect(atCounselor.length).toBeLessThanOrEqual(allowance(ACK_BURST, ACKS_PER_SECOND, elapsed + 300));
    chat.survivor.close();
    chat.staff.close();
  });

  it("a counselor flooding frames and acks at once: both are cut at their buckets, the survivor gets no more", async () => {
    const chat = await activeChat(h.url, h.addStaff(principal("flood2")));
    const { sessionId } = chat;
    const frames = collect<Frame>(chat.survivor, "frame");
    const acks = collect<Ack>(chat.survivor, "ack");
    const errors = collect<RelayError>(chat.staff, "error");
    const started = Date.now();
    const replies: Promise<Reply<Record<string, unknown>>>[] = [];
    for (let seq = 0; seq < 500; seq++) {
      replies.push(request(chat.staff, "frame", { sessionId, epoch: 0, seq, ciphertext: opaque(40) }));
      chat.staff.emit("ack", { sessionId, epoch: 0, seq });
      // Without a reply: the refusal comes back as an `error` naming the frame.
      chat.staff.emit("frame", { sessionId, epoch: 0, seq: 1000 + seq, ciphertext: opaque(40) });
    }
    const answered = await Promise.all(replies);
    const elapsed = Date.now() - started;
    await settle();
    const ok = answered.filter((r) => r.ok).length;
    const limited = answered.filter((r) => !r.ok && r.error === "rate-limited").length;
    expect(ok + limited).toBe(500);
    // Three events opened the chat; 1,000 frames were sent, the bucket took at most its allowance.
    const frameAllowance = allowance(FRAME_BURST, FRAMES_PER_SECOND, elapsed + 300);
    expect(frames.length).toBeLessThanOrEqual(frameAllowance);
    expect(frames.length).toBeLessThan(100);
    expect(
      errors.filter((e) => e.code === "rate-limited" && e.sessionId === sessionId).length,
    ).toBeGreaterThan(400);
    expect(acks.length).toBeLessThanOrEqual(allowance(ACK_BURST, ACKS_PER_SECOND, elapsed + 300));
    expect(acks.length).toBeLessThan(200);
    chat.survivor.close();
    chat.staff.close();
  });
});
