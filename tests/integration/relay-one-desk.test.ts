import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { Assigned, StaffEnded, Transferring } from "../../shared/protocol/index.ts";
import { principal } from "../support/relay-harness.ts";
import { collect, connected, next, opaque, request, staffClient } from "../support/relay-clients.ts";
import { relayFixture, setStatus } from "../support/relay-fixture.ts";

/**
 * One desk per staff member (PROTOCOL.md "One desk per staff member"), with raw packets: a
 * console page names its desk in the handshake; the newest fresh one gets the chats with a new
 * epoch, every other is told `replaced`, and a replaced desk that comes back is refused.
 */
const fx = relayFixture({ resumeGraceMs: 60_000 });
const DESK_A = "ZGVzay1hLWRlc2stYS0wMQ";
const DESK_B = "ZGVzay1iLWRlc2stYi0wMg";

describe("one desk per staff member", () => {
  it("a fresh desk takes the chat with a new epoch; the old desk is told, closed, and refused on return", async () => {
    const cookie = fx.h.addStaff(principal("ayesha"));
    const desk = async (id: string, fresh: boolean) => {
      const socket = fx.track(staffClient(fx.h.url, cookie, { desk: id, fresh }) as Socket);
      await connected(socket);
      return socket;
    };
    const a = await desk(DESK_A, true);
    expect(await setStatus(a as never, "available")).toEqual({ ok: true });
    const s = await fx.survivor();
    const sessionId = s.queued.sessionId;
    const assignedA = await next<Assigned>(a, "assigned", 3000);
    expect(assignedA.epoch).toBe(0);
    expect(await request(a, "accept", { sessionId, epoch: 0, handshake: opaque(300) })).toEqual({ ok: true });

    // Desk B (another tab, or this page reloaded) connects fresh: A is told and let go.
    const replaced = next(a, "replaced", 3000);
    const disconnected = next(a, "disconnect", 3000);
    const rekey = next<Transferring>(s.socket as Socket, "transferring", 3000);
    const b = await desk(DESK_B, true);
    const forB = next<Assigned>(b, "assigned", 3000);
    await replaced;
    await disconnected;
    expect(await rekey).toEqual({ sessionId, epoch: 1 });
    expect(await request(s.socket as Socket, "transfer-key", { sessionId, survivorKey: opaque(32) })).toEqual(
      {
        ok: true,
      },
    );
    const got = await forB;
    expect(got.sessionId).toBe(sessionId);
    expect(got.epoch).toBe(1);
    expect(got.transfer).toBeUndefined();
    const accepted = next(s.socket as Socket, "accepted", 3000);
    expect(await request(b, "accept", { sessionId, epoch: 1, handshake: opaque(300) })).toEqual({ ok: true });
    await accepted;
    const endedAtB = collect<StaffEnded>(b, "ended");

    // A comes back (its reconnection, not fresh): refused, and B keeps the chat and the relay's ear.
    const again = fx.track(staffClient(fx.h.url, cookie, { desk: DESK_A, fresh: false }) as Socket);
    const refusal = await next<Error>(again, "connect_error", 3000);
    expect(refusal.message).toBe("replaced");
    const frameAtB = next<{ seq: number }>(b, "frame", 3000);
    expect(
      await request(s.socket as Socket, "frame", { sessionId, epoch: 1, seq: 0, ciphertext: opaque(273) }),
    ).toEqual({ ok: true });
    expect((await frameAtB).seq).toBe(0);
    expect(endedAtB).toEqual([]);

    // B's own reconnection (same desk, not fresh) is let in, and takes nothing from itself.
    b.disconnect();
    const bAgain = await desk(DESK_B, false);
    const frameAgain = next<{ seq: number }>(bAgain, "frame", 3000);
    expect(
      await request(s.socket as Socket, "frame", { sessionId, epoch: 1, seq: 1, ciphertext: opaque(273) }),
    ).toEqual({ ok: true });
    expect((await frameAgain).seq).toBe(1);
  });

  it("a handover the old desk started, not yet with the colleague, comes back to the new desk instead of failing to a page that never saw it", async () => {
    const cookie = fx.h.addStaff(principal("ayesha"));
    const old = fx.track(staffClient(fx.h.url, cookie, { desk: DESK_A, fresh: true }) as Socket);
    await connected(old);
    const bob = await fx.staff("bob");
    const s = await fx.chatFor(old as never);
    const sessionId = s.queued.sessionId;
    expect(await setStatus(bob, "available")).toEqual({ ok: true });
    const first = next<Transferring>(s.socket as Socket, "transferring", 3000);
    expect(await request(old, "transfer", { sessionId, to: "bob" })).toEqual({ ok: true });
    expect(await first).toEqual({ sessionId, epoch: 1 });
    // The page is reloaded before the survivor's key arrives; then Bob's browser closes.
    const again = next<Transferring>(s.socket as Socket, "transferring", 3000);
    const fresh = fx.track(staffClient(fx.h.url, cookie, { desk: DESK_B, fresh: true }) as Socket);
    const failed = collect(fresh, "handover-failed");
    const back = next<Assigned>(fresh, "assigned", 3000);
    await connected(fresh);
    expect(await again).toEqual({ sessionId, epoch: 2 });
    bob.close();
    expect(await request(s.socket as Socket, "transfer-key", { sessionId, survivorKey: opaque(32) })).toEqual(
      {
        ok: true,
      },
    );
    const got = await back;
    expect([got.sessionId, got.epoch, got.transfer]).toEqual([sessionId, 2, undefined]);
    const accepted = next(s.socket as Socket, "accepted", 3000);
    expect(await request(fresh, "accept", { sessionId, epoch: 2, handshake: opaque(300) })).toEqual({
      ok: true,
    });
    await accepted;
    const record = await fx.h.store.getSession(sessionId as never);
    expect([record?.state, record?.counselor]).toEqual(["active", "ayesha"]);
    expect(failed).toEqual([]);
  });
});
