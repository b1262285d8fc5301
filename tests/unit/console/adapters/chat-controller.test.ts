import { beforeAll, describe, expect, it } from "vitest";
import {
  createSurvivorHandshake,
  ready as readyCore,
  type SurvivorSession,
} from "../../../../shared/crypto/index.ts";
import { ready } from "../../../../shared/crypto/staff/index.ts";
import {
  decodePayload,
  encodePayload,
  type PartnerId,
  type SessionId,
  type WrapupToken,
} from "../../../../shared/protocol/index.ts";
import { createChatController } from "../../../../console/src/adapters/chat-controller.ts";
import { chatsReducer, findChat, initialChats } from "../../../../console/src/state/chats.ts";
import { deskReducer, initialDesk } from "../../../../console/src/state/desk.ts";
import type { NotifyEvent } from "../../../../console/src/state/notify-policy.ts";
import { createStore } from "../../../../console/src/state/store.ts";
import { initialWellbeing, wellbeingReducer } from "../../../../console/src/state/wellbeing.ts";
import { type PacerClock, RETRY_BASE_MS } from "../../../../shared/protocol/pacer.ts";
import { manualClock } from "../../../support/manual-clock.ts";
import { eventually, FakeTransport, inProcessCrypto } from "../support/fakes.ts";

const NOW = Date.UTC(2026, 10, 28, 12);
const S = "SSSSSSSSSSSSSSSSSSSSSS" as SessionId;

async function certifiedCounselor() {
  const crypto = inProcessCrypto(() => NOW);
  const setup = await crypto.call({
    type: "create-setup",
    salt: new Uint8Array(16).fill(7),
    username: "amina",
    password: "a long test passphrase",
  });
  if (!setup.ok) throw new Error(setup.error);
  const cert = await crypto.call({
    type: "issue-certificate",
    staffId: "amina1",
    displayName: "Amina",
    role: "counselor",
    subjectPublicKey: setup.value.identityPublicKey,
    notBefore: NOW - 1000,
    notAfter: NOW + 86_400_000,
  });
  if (!cert.ok) throw new Error(cert.error);
  expect((await crypto.call({ type: "set-certificate", certificate: cert.value.certificate })).ok).toBe(true);
  return { crypto, orgPublicKey: setup.value.orgPublicKey };
}

function harness(crypto: ReturnType<typeof inProcessCrypto>, clock?: PacerClock) {
  const transport = new FakeTransport();
  const chats = createStore(chatsReducer, initialChats);
  const desk = createStore(deskReducer, initialDesk);
  const wellbeing = createStore(wellbeingReducer, initialWellbeing);
  const notified: NotifyEvent[] = [];
  let n = 0;
  const controller = createChatController({
    transport,
    crypto,
    chats,
    desk,
    wellbeing,
    now: () => NOW,
    randomId: () => `m${n++}`,
    isOnScreen: () => false,
    notify: (e) => notified.push(e),
    ...(clock ? { clock } : {}),
  });
  return { transport, chats, desk, wellbeing, controller, notified };
}

/** The relay assigns a chat; once the console has accepted, the survivor completes the handshake. */
async function acceptedChat(
  h: ReturnType<typeof harness>,
  orgPublicKey: Uint8Array,
  language: "en" | "ur" = "en",
): Promise<SurvivorSession> {
  const survivorHs = createSurvivorHandshake();
  h.transport.emit("assigned", {
    sessionId: S,
    epoch: 0,
    survivorKey: survivorHs.publicKey,
    language,
    partner: "drf" as PartnerId,
    waitedSeconds: 12,
  });
  await eventually(() => expect(findChat(h.chats.getState(), S)?.phase).toBe("active"));
  const accept = h.transport.requests.find((r) => r.event === "accept")?.payload as {
    handshake: Uint8Array;
  };
  const done = survivorHs.complete(accept.handshake, { sessionId: S, epoch: 0, orgPublicKey, nowMs: NOW });
  if (!done.ok) throw new Error(done.error);
  return done.value;
}

describe("chat controller (real crypto, fake relay)", () => {
  beforeAll(async () => {
    await Promise.all([ready(), readyCore()]);
  });

  it("accepts an assigned chat end to end, exchanges messages, resends after reconnect, ends and wipes", async () => {
    const { crypto, orgPublicKey } = await certifiedCounselor();
    const h = harness(crypto);
    const survivor = await acceptedChat(h, orgPublicKey, "ur");
    expect(h.notified).toContainEqual({ type: "assigned", transfer: false });
    expect(findChat(h.chats.getState(), S)?.safetyCode).toBe(survivor.safetyCode);

    // Survivor → counselor.
    const sealed = survivor.channel.seal(
      encodePayload({ type: "text", id: "s0", body: "Someone is blackmailing me" }),
    );
    if (!sealed.ok) throw new Error(sealed.error);
    const frame = { sessionId: S, epoch: 0, seq: sealed.value.seq, ciphertext: sealed.value.ciphertext };
    h.transport.emit("frame", frame);
    await eventually(() =>
      expect(findChat(h.chats.getState(), S)?.messages.map((m) => m.body)).toEqual([
        "Someone is blackmailing me",
      ]),
    );
    expect(h.transport.acks).toEqual([{ sessionId: S, epoch: 0, seq: 0 }]);
    expect(findChat(h.chats.getState(), S)?.unread).toBe(1);

    // A resent duplicate is acknowledged again but not shown twice.
    h.transport.emit("frame", frame);
    await eventually(() => expect(h.transport.acks).toHaveLength(2));
    expect(findChat(h.chats.getState(), S)?.messages).toHaveLength(1);

    // Counselor → survivor.
    expect(await h.controller.send(S, "You did the right thing by writing")).toEqual({ ok: true });
    const out = h.transport.frames.at(-1);
    if (!out) throw new Error("no frame sent");
    const opened = survivor.channel.open(out.seq, out.ciphertext);
    if (!opened.ok) throw new Error(opened.error);
    expect(decodePayload(opened.value.payload)).toEqual({
      ok: true,
      value: { type: "text", id: "m0", body: "You did the right thing by writing" },
    });

    // Reconnect: the unacked frame goes again, byte for byte.
    const before = h.transport.frames.length;
    h.transport.connect(true);
    await eventually(() => expect(h.transport.frames.length).toBe(before + 1));
    expect(h.transport.frames.at(-1)).toEqual(out);

    h.transport.emit("ack", { sessionId: S, epoch: 0, seq: out.seq });
    await eventually(() =>
      expect(findChat(h.chats.getState(), S)?.messages.at(-1)?.status).toBe("delivered"),
    );

    // End: a final frame, leave, and the text is gone from the store and the worker.
    await h.controller.end(S);
    const final = h.transport.frames.at(-1);
    if (!final) throw new Error("no final frame");
    const last = survivor.channel.open(final.seq, final.ciphertext);
    expect(last.ok && last.value.final).toBe(true);
    expect(h.transport.requests.some((r) => r.event === "leave")).toBe(true);
    expect(findChat(h.chats.getState(), S)).toMatchObject({
      phase: "wrap-up",
      messages: [],
      endReason: "counselor-ended",
    });
    expect(
      await crypto.call({
        type: "seal",
        sessionId: S,
        payload: { type: "typing", active: true },
        final: false,
      }),
    ).toEqual({
      ok: false,
      error: "unknown-session",
    });
  });

  it("ends a chat the relay no longer knows, and everything when the login is lost", async () => {
    const { crypto, orgPublicKey } = await certifiedCounselor();
    const h = harness(crypto);
    await acceptedChat(h, orgPublicKey);
    await h.controller.setStatus("available");
    // The relay took the first message; it refuses the next one: it forgot the chat.
    expect(await h.controller.send(S, "one")).toEqual({ ok: true });
    await eventually(() => expect(findChat(h.chats.getState(), S)?.messages[0]?.status).toBe("sent"));
    h.transport.frameReply = () => ({ ok: false, error: "not-your-session" });
    await h.controller.send(S, "two");
    await eventually(() =>
      expect(findChat(h.chats.getState(), S)).toMatchObject({
        phase: "wrap-up",
        messages: [],
        endReason: "server-shutdown",
      }),
    );
    h.transport.loseLogin();
    expect(h.desk.getState().loginLost).toBe(true);
    expect([h.wellbeing.getState().status, h.wellbeing.getState().wanted]).toEqual(["away", "available"]);
  });

  it("ends a chat being handed over, or held after a failed handover, when the login is lost", async () => {
    // The relay crashed and came back without its chats: no `ended` ever comes for them.
    const { crypto, orgPublicKey } = await certifiedCounselor();
    for (const phase of ["handing-over", "handover-failed"] as const) {
      const h = harness(crypto);
      await acceptedChat(h, orgPublicKey);
      h.chats.dispatch({ type: "handover-started", sessionId: S, toName: "Bilal" });
      if (phase === "handover-failed")
        h.chats.dispatch({ type: "handover-failed", sessionId: S, reason: "target-offline" });
      expect(findChat(h.chats.getState(), S)?.phase).toBe(phase);
      h.transport.loseLogin();
      await eventually(() =>
        expect(findChat(h.chats.getState(), S)).toMatchObject({
          phase: "wrap-up",
          endReason: "server-shutdown",
        }),
      );
    }
  });

  it("lets go of its live chats when another page takes the desk, and keeps a wrap-up to finish", async () => {
    const { crypto, orgPublicKey } = await certifiedCounselor();
    const h = harness(crypto);
    await acceptedChat(h, orgPublicKey);
    await h.controller.setStatus("available");
    // A chat that ended here, its wrap-up form still to fill in.
    const T = "TTTTTTTTTTTTTTTTTTTTTT" as SessionId;
    const wrapup = "w".repeat(43) as WrapupToken;
    h.transport.emit("ended", { sessionId: T, reason: "expired", wrapup });
    h.transport.emit("assigned", {
      sessionId: T,
      epoch: 0,
      survivorKey: createSurvivorHandshake().publicKey,
      language: "en",
      partner: "drf" as PartnerId,
      waitedSeconds: 1,
    });
    await eventually(() => expect(findChat(h.chats.getState(), T)?.phase).toBe("wrap-up"));

    h.transport.replace();
    await eventually(() => expect(findChat(h.chats.getState(), S)).toBeUndefined());
    expect(findChat(h.chats.getState(), T)).toMatchObject({ phase: "wrap-up", wrapupToken: wrapup });
    expect(h.desk.getState().replaced).toBe(true);
    expect(h.wellbeing.getState().status).toBe("away");
    // Its keys are gone with it: the chat goes on only at the other page.
    expect(
      await crypto.call({
        type: "seal",
        sessionId: S,
        payload: { type: "typing", active: true },
        final: false,
      }),
    ).toEqual({ ok: false, error: "unknown-session" });
  });

  it("opens frames that arrive back to back, in order, none dropped as a gap", async () => {
    // A typing frame and two messages arrive before the first has been opened (a slow worker
    // or a burst after reconnect): each must wait for the one before, not be judged against a
    // receive counter that has not moved yet.
    const { crypto, orgPublicKey } = await certifiedCounselor();
    const h = harness(crypto);
    const survivor = await acceptedChat(h, orgPublicKey);
    const payloads = [
      { type: "typing", active: true },
      { type: "text", id: "s0", body: "first" },
      { type: "text", id: "s1", body: "second" },
    ] as const;
    const frames = payloads.map((p) => {
      const sealed = survivor.channel.seal(encodePayload(p));
      if (!sealed.ok) throw new Error(sealed.error);
      return { sessionId: S, epoch: 0, seq: sealed.value.seq, ciphertext: sealed.value.ciphertext };
    });
    for (const f of frames) h.transport.emit("frame", f);
    await eventually(() =>
      expect(findChat(h.chats.getState(), S)?.messages.map((m) => m.body)).toEqual(["first", "second"]),
    );
    expect(h.transport.acks.map((a) => a.seq)).toEqual([0, 1, 2]);
  });

  it("marks a chat failed when the relay refuses the accept, and closes transferred chats", async () => {
    const { crypto } = await certifiedCounselor();
    const h = harness(crypto);
    h.transport.reply = (event) => (event === "accept" ? { ok: false, error: "bad-state" } : { ok: true });
    h.transport.emit("assigned", {
      sessionId: S,
      epoch: 0,
      survivorKey: createSurvivorHandshake().publicKey,
      language: "en",
      partner: "drf" as PartnerId,
      waitedSeconds: 0,
    });
    await eventually(() => expect(findChat(h.chats.getState(), S)?.phase).toBe("failed"));
    h.transport.emit("ended", { sessionId: S, reason: "transferred" });
    await eventually(() => expect(findChat(h.chats.getState(), S)).toBeUndefined());
  });

  it("shows a chat ended, not failed, when it ended as it was assigned (another relay node ended it)", async () => {
    const { crypto } = await certifiedCounselor();
    const h = harness(crypto);
    const assigned = (sessionId: SessionId) =>
      h.transport.emit("assigned", {
        sessionId,
        epoch: 0,
        survivorKey: createSurvivorHandshake().publicKey,
        language: "en",
        partner: "drf" as PartnerId,
        waitedSeconds: 0,
      });
    const wrapup = "w".repeat(43) as WrapupToken;
    // The relay no longer knows it when the accept arrives: ended, reason unknown until its
    // `ended` comes, which then gives the reason and the wrap-up token.
    h.transport.reply = (event) =>
      event === "accept" ? { ok: false, error: "unknown-session" } : { ok: true };
    assigned(S);
    await eventually(() =>
      expect(findChat(h.chats.getState(), S)).toMatchObject({ phase: "wrap-up", endReason: "gone" }),
    );
    h.transport.emit("ended", { sessionId: S, reason: "helpline-closed", wrapup });
    await eventually(() =>
      expect(findChat(h.chats.getState(), S)).toMatchObject({
        phase: "wrap-up",
        endReason: "helpline-closed",
        wrapupToken: wrapup,
      }),
    );
    // Its `ended` heard before the assignment (from the node that ended it): shown ended at once,
    // with that reason and token, and no accept is sent.
    const T = "TTTTTTTTTTTTTTTTTTTTTT" as SessionId;
    const accepts = () => h.transport.requests.filter((r) => r.event === "accept").length;
    const before = accepts();
    h.transport.emit("ended", { sessionId: T, reason: "expired", wrapup });
    assigned(T);
    await eventually(() =>
      expect(findChat(h.chats.getState(), T)).toMatchObject({
        phase: "wrap-up",
        endReason: "expired",
        wrapupToken: wrapup,
      }),
    );
    expect(accepts()).toBe(before);
  });

  it("confirms status only when the relay accepts it, and reports take errors", async () => {
    const { crypto } = await certifiedCounselor();
    const h = harness(crypto);
    expect(await h.controller.setStatus("available")).toEqual({ ok: true });
    expect(h.wellbeing.getState().status).toBe("available");
    h.transport.reply = () => ({ ok: false, error: "rate-limited" });
    expect(await h.controller.setStatus("break")).toEqual({ ok: false, error: "rate-limited" });
    expect(h.wellbeing.getState().status).toBe("available");
    expect(await h.controller.takeNext()).toEqual({ ok: false, error: "no-one-waiting" });
    h.transport.emit("queue", {
      entries: [{ sessionId: S, language: "en", partner: "drf" as PartnerId, waitingSeconds: 3 }],
    });
    expect(h.desk.getState().queue).toHaveLength(1);
  });

  it("transfers with a handover note only the receiving counselor opens", async () => {
    const a = await certifiedCounselor();
    const h = harness(a.crypto);
    const survivorHs = createSurvivorHandshake();
    h.transport.emit("assigned", {
      sessionId: S,
      epoch: 0,
      survivorKey: survivorHs.publicKey,
      language: "en",
      partner: "drf" as PartnerId,
      waitedSeconds: 0,
    });
    await eventually(() => expect(findChat(h.chats.getState(), S)?.phase).toBe("active"));
    expect(await h.controller.send(S, "You are safe to talk here")).toEqual({ ok: true });

    // A colleague certified by the same org key (the setup keyring still holds it).
    const b = inProcessCrypto(() => NOW);
    const bKeys = await b.call({
      type: "create-enrollment",
      salt: new Uint8Array(16).fill(7),
      username: "bilal",
      password: "bilal's long passphrase",
    });
    if (!bKeys.ok) throw new Error(bKeys.error);
    const bCert = await a.crypto.call({
      type: "issue-certificate",
      staffId: "bilal1",
      displayName: "Bilal",
      role: "counselor",
      subjectPublicKey: bKeys.value.identityPublicKey,
      notBefore: NOW - 1000,
      notAfter: NOW + 86_400_000,
    });
    if (!bCert.ok) throw new Error(bCert.error);
    const { encodeBase64url } = await import("../../../../console/src/crypto/base64url.ts");
    const entry = {
      id: "bilal1",
      displayName: "Bilal",
      role: "counselor",
      identityPublicKey: encodeBase64url(bKeys.value.identityPublicKey),
      certificate: encodeBase64url(bCert.value.certificate),
    } as Parameters<typeof h.controller.transfer>[1];

    expect(await h.controller.transfer(S, entry, "  Blackmail via WhatsApp; discussed FIA.  ")).toEqual({
      ok: true,
    });
    const sent = h.transport.requests.find((r) => r.event === "transfer")?.payload as {
      to: string;
      note: Uint8Array;
    };
    expect(sent.to).toBe("bilal1");
    // The chat stays (read-only) until the colleague's handshake is confirmed.
    expect(findChat(h.chats.getState(), S)?.phase).toBe("handing-over");
    expect(findChat(h.chats.getState(), S)?.outgoing).toEqual({ toName: "Bilal", failure: null });

    // The receiving counselor's console opens it when the chat is assigned to them.
    const derived = await b.call({
      type: "derive-login",
      password: "bilal's long passphrase",
      salt: bKeys.value.salt,
    });
    expect(derived.ok).toBe(true);
    const unlocked = await b.call({
      type: "unlock",
      username: "bilal",
      identityPublicKey: bKeys.value.identityPublicKey,
      wrappedIdentityKey: bKeys.value.wrappedIdentityKey,
      wrappedOrgKey: null,
      orgPublicKey: a.orgPublicKey,
      certificate: bCert.value.certificate,
    });
    expect(unlocked).toEqual({ ok: true, value: { canCertify: false, certified: true } });
    const hb = harness(b);
    const fresh = createSurvivorHandshake();
    hb.transport.emit("assigned", {
      sessionId: S,
      epoch: 1,
      survivorKey: fresh.publicKey,
      language: "en",
      partner: "drf" as PartnerId,
      waitedSeconds: 0,
      transfer: { from: "amina1" as never, fromName: "Amina", note: sent.note },
    });
    await eventually(() =>
      expect(findChat(hb.chats.getState(), S)?.handover).toEqual({
        fromName: "Amina",
        note: "Blackmail via WhatsApp; discussed FIA.",
        unreadable: false,
      }),
    );
    // The conversation so far came inside the sealed handover.
    expect(findChat(hb.chats.getState(), S)?.messages.map((m) => [m.from, m.body, m.epoch])).toEqual([
      ["counselor", "You are safe to talk here", -1],
    ]);
    expect(hb.notified).toContainEqual({ type: "assigned", transfer: true });
    // Only the colleague's confirmed handshake lets the chat go from the first console.
    h.transport.emit("ended", { sessionId: S, reason: "transferred" });
    await eventually(() => expect(findChat(h.chats.getState(), S)).toBeUndefined());
  });

  it("a frame refused for rate goes again after a back-off with every unacknowledged frame after it; the survivor receives each once, in order", async () => {
    const { crypto, orgPublicKey } = await certifiedCounselor();
    const { clock, advance } = manualClock(NOW);
    const h = harness(crypto, clock);
    const survivor = await acceptedChat(h, orgPublicKey);
    // The relay's bucket is empty for the third frame only (read receipts and other events spent it).
    let answered = 0;
    const forwarded: { seq: number; ciphertext: Uint8Array }[] = [];
    h.transport.frameReply = (f) => {
      if (++answered === 3) return { ok: false, error: "rate-limited" };
      forwarded.push(f);
      return { ok: true };
    };
    for (let i = 0; i < 5; i++) expect(await h.controller.send(S, `message ${i}`)).toEqual({ ok: true });
    // After the refusal nothing leaves (new messages wait too) until the back-off has passed.
    await eventually(() => expect(h.transport.frames.map((f) => f.seq)).toEqual([0, 1, 2]));
    advance(RETRY_BASE_MS - 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.transport.frames).toHaveLength(3);
    advance(1);
    // Then every unacknowledged frame, in order (0 and 1 reached the relay but are not acknowledged).
    await eventually(() => expect(h.transport.frames.map((f) => f.seq)).toEqual([0, 1, 2, 0, 1, 2, 3, 4]));
    // The survivor's side takes only the next sequence number (a gap is dropped, a duplicate too).
    const bodies: string[] = [];
    let next = 0;
    for (const f of forwarded) {
      if (f.seq !== next) continue;
      const opened = survivor.channel.open(f.seq, f.ciphertext);
      if (!opened.ok) throw new Error(opened.error);
      const payload = decodePayload(opened.value.payload);
      if (payload.ok && payload.value.type === "text") bodies.push(payload.value.body);
      next++;
    }
    expect(bodies).toEqual([0, 1, 2, 3, 4].map((i) => `message ${i}`));
    await eventually(() =>
      expect(findChat(h.chats.getState(), S)?.messages.every((m) => m.status === "sent")).toBe(true),
    );
  });

  it("resends what the survivor has not acknowledged when the relay says they are back (peer connected)", async () => {
    const { crypto, orgPublicKey } = await certifiedCounselor();
    const h = harness(crypto);
    const survivor = await acceptedChat(h, orgPublicKey);
    h.transport.emit("peer", { sessionId: S, connected: false });
    h.transport.frameReply = () => ({ ok: false, error: "peer-offline" });
    expect(await h.controller.send(S, "are you still there?")).toEqual({ ok: true });
    await eventually(() => expect(h.transport.frames).toHaveLength(1));
    const out = h.transport.frames[0];
    if (!out) throw new Error("no frame");
    h.transport.frameReply = () => ({ ok: true });
    h.transport.emit("peer", { sessionId: S, connected: true });
    await eventually(() => expect(h.transport.frames).toHaveLength(2));
    expect(h.transport.frames[1]).toEqual(out);
    const opened = survivor.channel.open(out.seq, out.ciphertext);
    expect(opened.ok).toBe(true);
    // Acknowledged: the next `peer connected` has nothing to resend.
    h.transport.emit("ack", { sessionId: S, epoch: 0, seq: out.seq });
    await eventually(() =>
      expect(findChat(h.chats.getState(), S)?.messages.at(-1)?.status).toBe("delivered"),
    );
    h.transport.emit("peer", { sessionId: S, connected: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.transport.frames).toHaveLength(2);
  });
});
