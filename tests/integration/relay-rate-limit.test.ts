import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Ack, Frame, Reply } from "../../shared/protocol/index.ts";
import { FRAME_BURST } from "../../shared/protocol/index.ts";
import { activeChat, collect, opaque, request } from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

/**
 * The relay's per-socket rate limit with its default sizes: end-to-end acknowledgements have a
 * bucket of their own, so a counselor whose messages each come back as a read receipt (one more
 * frame to acknowledge) can still send as many messages as the frame bucket holds.
 */
let h: Harness;
const sockets: { close: () => void }[] = [];

beforeEach(async () => {
  h = await startRelay();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h.close();
});

describe("rate limit: acknowledgements do not starve frames", () => {
  it("a counselor acknowledging the survivor's read receipt for every message still has FRAME_BURST frames (less the events that opened the chat)", async () => {
    const chat = await activeChat(h.url, h.addStaff(principal("amina")));
    sockets.push(chat.staff, chat.survivor);
    const { sessionId } = chat;
    const atCounselor = collect<Ack>(chat.staff, "ack");
    const receipts = collect<Frame>(chat.staff, "frame");
    // Like the widget: acknowledge each frame and answer it with a read receipt (a frame).
    let survivorSeq = 0;
    const survivorReplies: Promise<Reply<Record<string, unknown>>>[] = [];
    chat.survivor.on("frame", (f: Frame) => {
      chat.survivor.emit("ack", { sessionId, epoch: 0, seq: f.seq });
      survivorReplies.push(
        request(chat.survivor, "frame", { sessionId, epoch: 0, seq: survivorSeq++, ciphertext: opaque(40) }),
      );
    });
    // Like the console: acknowledge each receipt.
    chat.staff.on("frame", (f: Frame) => chat.staff.emit("ack", { sessionId, epoch: 0, seq: f.seq }));

    // status, take and accept spent three; the rest of the bucket, as fast as the socket goes.
    const count = FRAME_BURST - 3;
    const replies: Reply<Record<string, unknown>>[] = [];
    for (let seq = 0; seq < count; seq++) {
      replies.push(await request(chat.staff, "frame", { sessionId, epoch: 0, seq, ciphertext: opaque(40) }));
    }
    expect(replies.filter((r) => !r.ok)).toEqual([]);
    await expect.poll(() => receipts.length, { timeout: 10_000 }).toBe(count);
    expect((await Promise.all(survivorReplies)).filter((r) => !r.ok)).toEqual([]);
    // Every acknowledgement reached the counselor, none dropped.
    await expect.poll(() => atCounselor.length, { timeout: 10_000 }).toBe(count);
    expect(atCounselor.map((a) => a.seq)).toEqual(Array.from({ length: count }, (_, i) => i));
  });
});
