import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { Assigned } from "../../shared/protocol/index.ts";
import { joinAsSurvivor, next, request } from "../support/relay-clients.ts";
import { answerTransfer, relayFixture } from "../support/relay-fixture.ts";

/** The relay reports service events where the state changes, once each, with no session id. */
describe("relay: service events", () => {
  let open = true;
  const fx = relayFixture({ resumeGraceMs: 300, maxWaiting: 2, isOpen: () => open });
  const types = () => fx.h.serviceEvents.map((e) => e.type);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it("counts a chat offered and answered once, never as abandoned, across a return to the queue", async () => {
    const alice = await fx.staff("alice");
    const x = await fx.chatFor(alice);
    expect(fx.h.serviceEvents[0]).toEqual({ type: "offered" });
    expect(fx.h.serviceEvents[1]).toEqual({ type: "answered", waitMs: expect.any(Number) });
    const bob = await fx.staff("bob", 2, "available");
    const forBob = next<Assigned>(bob, "assigned", 3000);
    // Alice is cut off: her chat goes back to the queue and reaches Bob, answered already.
    const answer = answerTransfer(x, 1);
    fx.h.relay.disconnectStaff("alice" as never);
    expect(await answer()).toEqual({ ok: true });
    expect((await forBob).sessionId).toBe(x.queued.sessionId);
    expect(
      await request(x.socket as Socket, "leave", { sessionId: x.queued.sessionId, reason: "ended" }),
    ).toEqual({
      ok: true,
    });
    await settle();
    expect(types()).toEqual(["offered", "answered"]);
    // Nothing that could name the chat travels with an event.
    expect(JSON.stringify(fx.h.serviceEvents)).not.toContain(x.queued.sessionId);
  });

  it("counts a chat left while waiting as abandoned, with how long it waited", async () => {
    const s = await fx.survivor();
    await request(s.socket as Socket, "leave", { sessionId: s.queued.sessionId, reason: "ended" });
    await settle();
    expect(fx.h.serviceEvents).toEqual([
      { type: "offered" },
      { type: "abandoned", waitMs: expect.any(Number) },
    ]);
  });

  it("counts a quick exit while waiting (also abandoned) and in a chat (answered, not abandoned)", async () => {
    const waiting = await fx.survivor();
    await request(waiting.socket as Socket, "leave", {
      sessionId: waiting.queued.sessionId,
      reason: "quick-exit",
    });
    await settle();
    expect(types()).toEqual(["offered", "abandoned", "quick-exit"]);
    const alice = await fx.staff("alice");
    const chat = await fx.chatFor(alice);
    await request(chat.socket as Socket, "leave", { sessionId: chat.queued.sessionId, reason: "quick-exit" });
    // A second leave for the same chat is answered but counts nothing.
    await request(chat.socket as Socket, "leave", { sessionId: chat.queued.sessionId, reason: "quick-exit" });
    await settle();
    expect(types()).toEqual(["offered", "abandoned", "quick-exit", "offered", "answered", "quick-exit"]);
  });

  it("counts joins refused as closed and as queue full, and nothing for a malformed join", async () => {
    await fx.survivor();
    await fx.survivor();
    await expect(joinAsSurvivor(fx.h.url)).rejects.toThrow("queue-full");
    open = false;
    try {
      await expect(joinAsSurvivor(fx.h.url)).rejects.toThrow("closed");
      await expect(joinAsSurvivor(fx.h.url, { partner: "nobody" })).rejects.toThrow("bad-request");
    } finally {
      open = true;
    }
    expect(fx.h.serviceEvents).toEqual([
      { type: "offered" },
      { type: "offered" },
      { type: "refused", reason: "full" },
      { type: "refused", reason: "closed" },
    ]);
  });
});
