import type { Socket } from "socket.io-client";
import { beforeAll, describe, expect, it } from "vitest";
import { answerSideOffer, createSideOffer } from "../../shared/crypto/index.ts";
import { generateOrgKeyPair } from "../../shared/crypto/staff/index.ts";
import {
  FRAME_BURST,
  type Reply,
  type SideEnded,
  type SideHello,
  type SideId,
  type SideMessage,
  type SideRequests,
  shortId,
} from "../../shared/protocol/index.ts";
import { containsCanary, makeCanary, makeUrduCanary } from "../support/browser-canary.ts";
import { certify, cryptoReady, mustOk, NOW } from "../support/crypto-kit.ts";
import {
  collect,
  connectStaff,
  connected,
  type Joined,
  next,
  opaque,
  request,
  type StaffClient,
  staffClient,
  WRAPUP_TOKEN,
} from "../support/relay-clients.ts";
import { relayFixture } from "../support/relay-fixture.ts";
import { principal } from "../support/relay-harness.ts";

/**
 * "Ask a supervisor" over a real relay: who may ask, open, answer, send and end; that nobody
 * else receives or injects anything; that the side conversation goes when the chat ends, the
 * counselor cancels or a party is gone for good; and that the relay (its packets and its logs)
 * never holds the text, with the real side-channel crypto on both ends.
 */
const fx = relayFixture();
const { track, chatFor } = fx;

beforeAll(cryptoReady);

const settle = () => new Promise((r) => setTimeout(r, 80));

const staff = (id: string, role: "counselor" | "supervisor" | "admin" = "counselor") =>
  fx.staff(id, 2, "away", { role, displayName: `Name ${id}` });

async function ask(counselor: StaffClient, chat: Joined): Promise<SideId> {
  const reply = await request<Reply<{ requestId: SideId }>>(counselor as Socket, "side-ask", {
    sessionId: chat.queued.sessionId,
  });
  if (!reply.ok) throw new Error(reply.error);
  return reply.requestId;
}

/** Asked, opened and answered with opaque hellos (the relay cannot tell them from real ones). */
async function openWith(counselor: StaffClient, supervisor: StaffClient, chat: Joined) {
  const requestId = await ask(counselor, chat);
  const opened = next<SideHello>(counselor, "side-opened");
  expect(await request(supervisor as Socket, "side-open", { requestId, hello: opaque(200) })).toEqual({
    ok: true,
  });
  await opened;
  const joined = next<SideHello>(supervisor, "side-joined");
  expect(await request(counselor as Socket, "side-join", { requestId, hello: opaque(200) })).toEqual({
    ok: true,
  });
  await joined;
  return requestId;
}

const message = (requestId: string, seq = 1) => ({ requestId, seq, ciphertext: opaque(272) });

describe("ask a supervisor: relay", () => {
  it("shows supervisors who asked and when, never the chat; carries real ciphertext the relay cannot read", async () => {
    const org = generateOrgKeyPair();
    const counselorCert = certify(org, { staffId: "c1" as never, displayName: "Name c1" });
    const supervisorCert = certify(org, {
      staffId: "s1" as never,
      displayName: "Name s1",
      role: "supervisor",
    });
    const trust = { orgPublicKey: org.publicKey, nowMs: NOW };
    const counselor = await staff("c1");
    const supervisor = await staff("s1", "supervisor");
    const colleague = await staff("c2");
    const colleagueSaw = collect<unknown>(colleague, "side-requests");
    const chat = await chatFor(counselor);

    const listed = next<SideRequests>(supervisor, "side-requests");
    const requestId = await ask(counselor, chat);
    const requests = await listed;
    expect(requests.requests).toEqual([
      { requestId, counselor: "c1", counselorName: "Name c1", waitingSeconds: 0 },
    ]);
    expect(JSON.stringify(requests)).not.toContain(chat.queued.sessionId);

    const offer = createSideOffer(requestId, {
      identitySecretKey: supervisorCert.identity.secretKey,
      certificate: supervisorCert.certificate,
    });
    const opened = next<SideHello>(counselor, "side-opened");
    const cleared = next<SideRequests>(supervisor, "side-requests");
    expect(
      await request(supervisor as Socket, "side-open", { requestId, hello: Buffer.from(offer.hello) }),
    ).toEqual({
      ok: true,
    });
    expect((await cleared).requests).toEqual([]);
    const answered = mustOk(
      answerSideOffer(
        requestId,
        new Uint8Array((await opened).hello),
        { identitySecretKey: counselorCert.identity.secretKey, certificate: counselorCert.certificate },
        trust,
      ),
    );
    expect(answered.peer.displayName).toBe("Name s1");
    const joined = next<SideHello>(supervisor, "side-joined");
    await request(counselor as Socket, "side-join", { requestId, hello: Buffer.from(answered.answer) });
    const done = mustOk(offer.complete(new Uint8Array((await joined).hello), trust, "c1"));

    const canaries = [makeCanary(), makeUrduCanary()];
    const utf8 = (t: string) => new TextEncoder().encode(t);
    const atSupervisor = next<SideMessage>(supervisor, "side-message");
    const up = mustOk(answered.conversation.seal(utf8(canaries[0] ?? "")));
    expect(
      await request(counselor as Socket, "side-message", {
        requestId,
        seq: up.seq,
        ciphertext: Buffer.from(up.ciphertext),
      }),
    ).toEqual({ ok: true });
    const got = await atSupervisor;
    expect(
      new TextDecoder().decode(mustOk(done.conversation.open(got.seq, new Uint8Array(got.ciphertext)))),
    ).toBe(canaries[0]);
    const atCounselor = next<SideMessage>(counselor, "side-message");
    const down = mustOk(done.conversation.seal(utf8(canaries[1] ?? "")));
    await request(supervisor as Socket, "side-message", {
      requestId,
      seq: down.seq,
      ciphertext: Buffer.from(down.ciphertext),
    });
    const back = await atCounselor;
    expect(
      new TextDecoder().decode(mustOk(answered.conversation.open(back.seq, new Uint8Array(back.ciphertext)))),
    ).toBe(canaries[1]);

    // The relay handled the ciphertext (packets both ways) but never the text.
    expect(fx.h.packets.length).toBeGreaterThan(0);
    for (const canary of canaries) {
      expect(
        fx.h.packets.filter((p) =>
          containsCanary(typeof p.data === "string" ? Buffer.from(p.data) : p.data, canary),
        ),
      ).toEqual([]);
      expect(fx.h.logs.filter((l) => l.includes(canary))).toEqual([]);
    }
    // Side-conversation log lines name neither the chat nor its shortened id.
    const sideLines = fx.h.logs.filter((l) => /side conversation|supervisor asked/.test(l));
    expect(sideLines.length).toBeGreaterThanOrEqual(2);
    expect(sideLines.filter((l) => l.includes(shortId(chat.queued.sessionId)))).toEqual([]);
    // A plain counselor is not shown requests.
    expect(colleagueSaw).toEqual([]);
  });

  it("refuses what the asker, a third staff member and a raw socket may not do", async () => {
    const counselor = await staff("c1");
    const supervisor = await staff("s1", "supervisor");
    const other = await staff("s2", "supervisor");
    const colleague = await staff("c2");
    const chat = await chatFor(counselor);
    // Only the chat's own counselor asks.
    expect(await request(colleague as Socket, "side-ask", { sessionId: chat.queued.sessionId })).toEqual({
      ok: false,
      error: "not-your-session",
    });
    const requestId = await ask(counselor, chat);
    expect(await request(counselor as Socket, "side-ask", { sessionId: chat.queued.sessionId })).toEqual({
      ok: false,
      error: "bad-state",
    });
    // Nothing flows before a supervisor opened and the counselor answered.
    expect(await request(counselor as Socket, "side-message", message(requestId))).toEqual({
      ok: false,
      error: "bad-state",
    });
    // A counselor cannot open a request; nobody can answer one that was not opened.
    expect(await request(colleague as Socket, "side-open", { requestId, hello: opaque(200) })).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await request(counselor as Socket, "side-join", { requestId, hello: opaque(200) })).toEqual({
      ok: false,
      error: "bad-state",
    });

    const otherGot = collect<unknown>(other, "side-message");
    const colleagueGot = collect<unknown>(colleague, "side-message");
    const opened = next<SideHello>(counselor, "side-opened");
    await request(supervisor as Socket, "side-open", { requestId, hello: opaque(200) });
    await opened;
    // Opened once: a second supervisor is refused.
    expect(await request(other as Socket, "side-open", { requestId, hello: opaque(200) })).toEqual({
      ok: false,
      error: "bad-state",
    });
    // Only the asker answers.
    expect(await request(other as Socket, "side-join", { requestId, hello: opaque(200) })).toEqual({
      ok: false,
      error: "unknown-session",
    });
    await request(counselor as Socket, "side-join", { requestId, hello: opaque(200) });
    const atSupervisor = collect<SideMessage>(supervisor, "side-message");
    expect(await request(counselor as Socket, "side-message", message(requestId))).toEqual({ ok: true });
    // A third staff member can neither inject, nor end, nor receive.
    for (const intruder of [other, colleague]) {
      expect(await request(intruder as Socket, "side-message", message(requestId, 2))).toEqual({
        ok: false,
        error: "unknown-session",
      });
      expect(await request(intruder as Socket, "side-end", { requestId })).toEqual({
        ok: false,
        error: "unknown-session",
      });
    }
    await settle();
    expect(atSupervisor.length).toBe(1);
    expect(otherGot.filter((m) => (m as SideMessage).requestId === requestId)).toEqual([]);
    expect(colleagueGot).toEqual([]);
    // Raw payloads: unknown fields, a made-up id, oversized ciphertext, wrong types.
    for (const bad of [
      { ...message(requestId), extra: 1 },
      { requestId: "x", seq: 1, ciphertext: opaque(100) },
      { requestId, seq: 1, ciphertext: opaque(5000) },
      { requestId, seq: 0, ciphertext: opaque(100) },
      { requestId, seq: 1, ciphertext: "text" },
    ]) {
      expect(await request(counselor as Socket, "side-message", bad)).toEqual({
        ok: false,
        error: "bad-request",
      });
    }
    expect(
      await request(supervisor as Socket, "side-open", { requestId: "A".repeat(22), hello: opaque(10) }),
    ).toEqual({
      ok: false,
      error: "unknown-session",
    });
  });

  it("ends when the chat ends, when the counselor cancels, and when a party is gone for good", async () => {
    const counselor = await staff("c1");
    const supervisor = await staff("s1", "admin");
    // Cancel before anyone opened: supervisors' list empties, the counselor is told.
    const chat = await chatFor(counselor);
    const listed = next<SideRequests>(supervisor, "side-requests");
    const requestId = await ask(counselor, chat);
    expect((await listed).requests.map((r) => r.requestId)).toEqual([requestId]);
    const emptied = next<SideRequests>(supervisor, "side-requests");
    const cancelled = next<SideEnded>(counselor, "side-ended");
    expect(await request(counselor as Socket, "side-end", { requestId })).toEqual({ ok: true });
    expect(await cancelled).toEqual({ requestId, reason: "cancelled" });
    expect((await emptied).requests).toEqual([]);

    // The chat ends: both sides are told, and nothing more is forwarded.
    const opened = await openWith(counselor, supervisor, chat);
    const endedC = next<SideEnded>(counselor, "side-ended");
    const endedS = next<SideEnded>(supervisor, "side-ended");
    expect(
      await request(counselor as Socket, "leave", { sessionId: chat.queued.sessionId, reason: "ended" }),
    ).toEqual({ ok: true, wrapup: WRAPUP_TOKEN });
    expect(await endedC).toEqual({ requestId: opened, reason: "chat-ended" });
    expect(await endedS).toEqual({ requestId: opened, reason: "chat-ended" });
    expect(await request(supervisor as Socket, "side-message", message(opened))).toEqual({
      ok: false,
      error: "unknown-session",
    });

    // The supervisor's last connection closes and stays closed past the grace period.
    const second = await openWith(counselor, supervisor, await chatFor(counselor));
    const gone = next<SideEnded>(counselor, "side-ended", 3000);
    supervisor.close();
    expect(await gone).toEqual({ requestId: second, reason: "gone" });
  });

  it("ends when the chat is handed to a colleague, and bounds a flood by the socket's rate limit", async () => {
    const counselor = await staff("c1");
    const supervisor = await staff("s1", "supervisor");
    const colleague = await staff("c2");
    const chat = await chatFor(counselor);
    // Available only now, so the chat is not auto-assigned to them first.
    await request(colleague as Socket, "status", { status: "available" });
    const requestId = await openWith(counselor, supervisor, chat);

    // A flood: the per-socket token bucket refuses what goes beyond its burst (more than a full
    // bucket, so however long the set-up took to refill it, some are refused).
    const replies = await Promise.all(
      Array.from({ length: FRAME_BURST + 20 }, (_, i) =>
        request(counselor as Socket, "side-message", message(requestId, i + 1)),
      ),
    );
    expect(replies.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.error))).toContain("rate-limited");
    expect(replies.filter((r) => r.ok).length).toBeGreaterThan(0);

    // The chat leaves this counselor: the side conversation goes with it (within the check period).
    await new Promise((r) => setTimeout(r, 2500));
    const ended = next<SideEnded>(supervisor, "side-ended", 5000);
    expect(
      await request(counselor as Socket, "transfer", { sessionId: chat.queued.sessionId, to: "c2" }),
    ).toEqual({ ok: true });
    expect(await ended).toEqual({ requestId, reason: "chat-ended" });
  });

  it("a supervisor who reconnects within the grace period keeps the conversation", async () => {
    const counselor = await staff("c1");
    const cookie = fx.h.addStaff(principal("s1", { role: "supervisor" }));
    const supervisor = track(await connectStaff(fx.h.url, cookie, "away"));
    const requestId = await openWith(counselor, supervisor, await chatFor(counselor));
    const ended = collect<SideEnded>(counselor, "side-ended");
    supervisor.close();
    const again = track(await connectStaff(fx.h.url, cookie, "away"));
    await new Promise((r) => setTimeout(r, 600));
    expect(ended).toEqual([]);
    const got = next<SideMessage>(again, "side-message");
    expect(await request(counselor as Socket, "side-message", message(requestId))).toEqual({ ok: true });
    expect((await got).requestId).toBe(requestId);
  });

  it("a supervisor's new console page ends the conversations of the page it replaced; that page's own reconnection keeps them", async () => {
    const counselor = await staff("c1");
    const cookie = fx.h.addStaff(principal("s1", { role: "supervisor" }));
    const page = async (desk: string, fresh: boolean) => {
      const socket = track(staffClient(fx.h.url, cookie, { desk, fresh }));
      await connected(socket as Socket);
      return socket;
    };
    const supervisor = await page("c3VwZXJ2aXNvci1kZXNrLT", true);
    const requestId = await openWith(counselor, supervisor, await chatFor(counselor));
    const ended = collect<SideEnded>(counselor, "side-ended");
    // The same page reconnecting (not fresh) still holds the conversation's keys.
    supervisor.close();
    const again = await page("c3VwZXJ2aXNvci1kZXNrLT", false);
    await new Promise((r) => setTimeout(r, 300));
    expect(ended).toEqual([]);
    // A new page (a reload, another tab) holds none: the counselor is told at once, not left
    // writing to nobody.
    const gone = next<SideEnded>(counselor, "side-ended", 1500);
    await page("c3VwZXJ2aXNvci1kZXNrLU", true);
    expect(await gone).toEqual({ requestId, reason: "gone" });
    expect(again.connected).toBe(false);
  });
});
