import type { Socket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Challenge, SurvivorEnded } from "../../shared/protocol/index.ts";
import { activeChat, collect, next, opaque, request } from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";

/**
 * A shared store that lost its data (Redis restarted without persistence; the Redis store's
 * heartbeat notices, tests/integration/redis-store.test.ts) is announced to the clients at once,
 * not at their next frame: survivors whose chat is gone are told it ended and may start again,
 * counselors' sockets close so their consoles find the login gone. A chat opened since is kept.
 */
let h: Harness;
beforeEach(async () => {
  h = await startRelay();
});
afterEach(async () => {
  await h.close();
});

describe("the store lost its data", () => {
  it("ends lost chats at once (server-shutdown, a fresh challenge), closes staff sockets, keeps a chat opened since", async () => {
    const lost = await activeChat(h.url, h.addStaff(principal("amina")));
    const ended = collect<SurvivorEnded>(lost.survivor, "ended");
    const challenges = collect<Challenge>(lost.survivor, "challenge");
    const staffGone = next<string>(lost.staff, "disconnect");
    // The data goes (a Redis restart); a chat opened after it lives in the new store.
    await h.store.clear();
    const kept = await activeChat(h.url, h.addStaff(principal("bilal")));
    const keptEnded = collect<SurvivorEnded>(kept.survivor, "ended");

    await h.relay.storeLost();
    await expect
      .poll(() => ended, { timeout: 5000 })
      .toEqual([{ sessionId: lost.sessionId, reason: "server-shutdown" }]);
    expect(challenges).toHaveLength(1);
    expect(await staffGone).toBe("io server disconnect");
    // The survivor's socket speaks for nothing now: its old chat is refused, a resume too.
    expect(
      await request(lost.survivor, "frame", {
        sessionId: lost.sessionId,
        epoch: 0,
        seq: 0,
        ciphertext: opaque(40),
      }),
    ).toEqual({ ok: false, error: "not-your-session" });

    // The chat opened since is untouched (its counselor's socket closed and reconnects).
    expect(keptEnded).toEqual([]);
    expect(await h.store.getSession(kept.sessionId as never)).not.toBeNull();
    for (const s of [lost.survivor, kept.survivor, lost.staff, kept.staff] as Socket[]) s.close();
  });
});
