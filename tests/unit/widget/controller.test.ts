import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type CounselorSession, counselorAccept } from "../../../shared/crypto/index.ts";
import { signRevocationList } from "../../../shared/crypto/staff/index.ts";
import { formatChallenge } from "../../../shared/pow/challenge.ts";
import { splitImage } from "../../../shared/protocol/image-transfer.ts";
import { WAITING_KEEPALIVE_MS } from "../../../shared/protocol/limits.ts";
import { type PacerClock, PACED_BURST, RETRY_BASE_MS } from "../../../shared/protocol/pacer.ts";
import { manualClock } from "../../support/manual-clock.ts";
import { decodePayload, encodePayload } from "../../../shared/protocol/payloads.ts";
import type { ToFrame } from "../../../widget/control/messages.ts";
import type { ToLoaderBody } from "../../../widget/frame/adapters/parent-link.ts";
import { type Controller, createController } from "../../../widget/frame/controller.ts";
import { certify, cryptoReady, makeOrg, mustOk, NOW } from "../../support/crypto-kit.ts";
import type { ResumeToken } from "../../../shared/protocol/ids.ts";
import type { Resumed } from "../../../widget/frame/adapters/relay-socket.ts";
import { fakeRelay } from "./fake-relay.ts";
import { openConfig, partner, resumeToken, sessionId } from "./state/fixtures.ts";
import { workerPair } from "./worker/worker-pair.ts";

beforeAll(cryptoReady);

const settle = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};
async function until(condition: () => boolean, what: string) {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let active: Controller | null = null;
afterEach(() => {
  active?.dispose();
  active = null;
});

function setup(
  revocations: (
    org: ReturnType<typeof makeOrg>,
    counselor: ReturnType<typeof certify>,
  ) => Promise<Uint8Array | null> = async () => null,
  pacerClock?: PacerClock,
) {
  const org = makeOrg();
  const counselor = certify(org);
  const pair = workerPair();
  const relay = fakeRelay({
    join: () => ({
      ok: true,
      sessionId,
      resumeToken,
      position: 1,
      estimatedWaitSeconds: 60,
      counselorAvailable: true,
    }),
  });
  const toLoader: ToLoaderBody[] = [];
  let fromLoader: ((message: ToFrame) => void) | null = null;
  let id = 0;
  const controller = createController({
    win: window,
    now: () => NOW,
    orgKey: org.publicKey,
    spawnWorker: async () => pair.worker,
    connectRelay: () => relay.transport,
    fetchConfig: async () => openConfig,
    fetchRevocations: () => revocations(org, counselor),
    linkParent: (onMessage) => {
      fromLoader = onMessage;
      return { send: (message) => toLoader.push(message), dispose: () => {} };
    },
    newId: () => `m${++id}`,
    framedFor: partner,
    ...(pacerClock ? { pacerClock } : {}),
  });
  active = controller;
  const loader = (message: ToFrame) => fromLoader?.(message);
  return { org, counselor, pair, relay, controller, toLoader, loader };
}

/** Runs the survivor from the loader's init to an open chat; returns the counselor's channel. */
/** From the loader's init to the survivor's `join` (start pressed, the relay's challenge solved). */
async function startAndJoin(t: ReturnType<typeof setup>) {
  t.loader({ sahara: 1, type: "init", partner });
  await until(() => t.controller.store.get().screen.type === "start", "start screen");
  t.controller.actions.start();
  await until(() => t.controller.store.get().screen.type === "waiting", "waiting");
  await settle();
  t.relay.emit("challenge", {
    challenge: formatChallenge(
      { difficulty: 8, expiresAt: NOW + 60_000, random: "A".repeat(22) },
      "B".repeat(43),
    ),
    difficulty: 8,
    expiresAt: NOW + 60_000,
  });
  await until(() => t.relay.sent.some((s) => s.type === "join"), "join");
  const join = t.relay.sent.find((s) => s.type === "join");
  if (join?.type !== "join") throw new Error("no join");
  return join;
}

async function toChat(
  t: ReturnType<typeof setup>,
  target: "chat" | "ended" = "chat",
  /** Runs in the same tick as the relay's accept, before the survivor has verified it. */
  rightAfterAccept?: (accepted: CounselorSession) => void,
) {
  const join = await startAndJoin(t);
  const accepted = mustOk(
    counselorAccept({
      sessionId,
      epoch: 0,
      survivorPublicKey: join.survivorKey,
      identitySecretKey: t.counselor.identity.secretKey,
      certificate: t.counselor.certificate,
    }),
  );
  await until(() => t.controller.store.get().screen.type === "waiting", "queued");
  t.relay.emit("accepted", { sessionId, epoch: 0, handshake: accepted.handshake });
  rightAfterAccept?.(accepted);
  await until(() => t.controller.store.get().screen.type === target, target);
  return accepted;
}

const frames = (t: ReturnType<typeof setup>) => t.relay.sent.filter((s) => s.type === "frame");

describe("frame controller with the real crypto worker and a scripted relay", () => {
  it("announces readiness with the partner's exit URL, then joins with the partner and language", async () => {
    const t = setup();
    await toChat(t);
    expect(t.toLoader[0]).toEqual({ type: "ready", exitUrl: openConfig.exitUrl });
    expect(t.relay.sent.find((s) => s.type === "join")).toMatchObject({ partner: "drf", language: "en" });
    const screen = t.controller.store.get().screen;
    expect(screen.type === "chat" && screen.session.counselor?.name).toBe("Ayesha");
  });

  it("keeps its queue place alive while waiting, and stops once the chat is open", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const t = setup();
      const keepAlives = () => t.relay.sent.filter((s) => s.type === "waiting");
      await toChat(t, "chat", () => {
        // Still queued in this tick: two intervals pass before the survivor has verified the accept.
        vi.advanceTimersByTime(WAITING_KEEPALIVE_MS * 2);
      });
      expect(keepAlives()).toEqual([
        { type: "waiting", sessionId },
        { type: "waiting", sessionId },
      ]);
      vi.advanceTimersByTime(WAITING_KEEPALIVE_MS * 3);
      expect(keepAlives()).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("sends no keep-alive while disconnected, nor before its resume is answered", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const t = setup();
      const keepAlives = () => t.relay.sent.filter((s) => s.type === "waiting").length;
      await startAndJoin(t);
      await until(() => {
        const screen = t.controller.store.get().screen;
        return screen.type === "waiting" && screen.session !== null;
      }, "queued");
      vi.advanceTimersByTime(WAITING_KEEPALIVE_MS);
      expect(keepAlives()).toBe(1);
      t.relay.disconnect();
      vi.advanceTimersByTime(WAITING_KEEPALIVE_MS * 2);
      expect(keepAlives()).toBe(1);
      let answer: (r: { ok: true; epoch: number; resumeToken: string }) => void = () => {};
      (t.relay.transport as { resume: unknown }).resume = () =>
        new Promise((resolve) => {
          answer = resolve;
        });
      t.relay.connect(true);
      await settle();
      // The relay takes the first keep-alive after its answer as proof the new token arrived.
      vi.advanceTimersByTime(WAITING_KEEPALIVE_MS * 2);
      expect(keepAlives()).toBe(1);
      answer({ ok: true, epoch: 0, resumeToken: "R".repeat(43) });
      await settle();
      vi.advanceTimersByTime(WAITING_KEEPALIVE_MS);
      expect(keepAlives()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("exchanges end-to-end encrypted messages and acknowledges what it opened", async () => {
    const t = setup();
    const counselor = await toChat(t);
    t.controller.actions.send("canary-4f2e please help");
    await until(() => frames(t).length === 1, "sealed frame");
    const out = frames(t)[0]!;
    if (out.type !== "frame") throw new Error();
    // The relay sees only ciphertext.
    expect(new TextDecoder().decode(out.ciphertext)).not.toContain("canary");
    const opened = mustOk(counselor.channel.open(out.seq, out.ciphertext));
    expect(decodePayload(opened.payload)).toMatchObject({
      ok: true,
      value: { type: "text", body: "canary-4f2e please help" },
    });

    const reply = mustOk(
      counselor.channel.seal(encodePayload({ type: "text", id: "c1", body: "I am listening" })),
    );
    t.relay.emit("frame", { sessionId, epoch: 0, seq: reply.seq, ciphertext: reply.ciphertext });
    await until(() => t.relay.sent.some((s) => s.type === "ack" && s.seq === reply.seq), "ack");
    const screen = t.controller.store.get().screen;
    expect(
      screen.type === "chat" &&
        screen.session.transcript.some((e) => e.type === "theirs" && e.body === "I am listening"),
    ).toBe(true);
    // The same frame again (a resend): acknowledged again, shown once.
    t.relay.emit("frame", { sessionId, epoch: 0, seq: reply.seq, ciphertext: reply.ciphertext });
    await settle();
    const after = t.controller.store.get().screen;
    expect(after.type === "chat" && after.session.transcript.filter((e) => e.type === "theirs").length).toBe(
      1,
    );
  });

  it("keeps a greeting that arrives while the survivor is still verifying the counselor", async () => {
    // A canned greeting sent the moment the console accepts reaches a slow phone before its
    // worker has checked the certificate: it must wait for the channel, not be dropped.
    const t = setup();
    await toChat(t, "chat", (accepted) => {
      const hello = mustOk(
        accepted.channel.seal(encodePayload({ type: "text", id: "c0", body: "Assalam o alaikum" })),
      );
      t.relay.emit("frame", { sessionId, epoch: 0, seq: hello.seq, ciphertext: hello.ciphertext });
    });
    await until(() => t.relay.sent.some((s) => s.type === "ack" && s.seq === 0), "ack of the greeting");
    const screen = t.controller.store.get().screen;
    expect(
      screen.type === "chat" &&
        screen.session.transcript.filter((e) => e.type === "theirs").map((e) => e.body),
    ).toEqual(["Assalam o alaikum"]);
  });

  it("connects while the start screen is read and spends that early challenge when Start is pressed", async () => {
    const t = setup();
    t.loader({ sahara: 1, type: "init", partner });
    await until(() => t.controller.store.get().screen.type === "start", "start screen");
    // The relay's challenge arrives before the survivor has pressed anything.
    t.relay.emit("challenge", {
      challenge: formatChallenge(
        { difficulty: 8, expiresAt: NOW + 60_000, random: "C".repeat(22) },
        "D".repeat(43),
      ),
      difficulty: 8,
      expiresAt: NOW + 60_000,
    });
    await settle();
    expect(t.relay.sent.some((s) => s.type === "join")).toBe(false);
    t.controller.actions.start();
    // No second challenge: the kept one is solved and joined with.
    await until(() => t.relay.sent.some((s) => s.type === "join"), "join");
  });

  it("a frame the relay refused for rate goes again after a back-off, with every unacknowledged frame after it, in order", async () => {
    const { clock, advance } = manualClock(NOW);
    const t = setup(async () => null, clock);
    await toChat(t);
    for (const body of ["one", "two", "three"]) t.controller.actions.send(body);
    await until(() => frames(t).length === 3, "three frames");
    // The relay refused the second (its bucket also pays for other events); the third came after it.
    t.relay.emit("error", { code: "rate-limited", sessionId, seq: 1 });
    t.controller.actions.send("four");
    await settle();
    expect(frames(t)).toHaveLength(3);
    advance(RETRY_BASE_MS - 1);
    await settle();
    expect(frames(t)).toHaveLength(3);
    advance(1);
    await until(() => frames(t).length === 7, "the resend");
    expect(frames(t).map((f) => f.seq)).toEqual([0, 1, 2, 0, 1, 2, 3]);
    expect(frames(t).slice(3, 6)).toEqual(frames(t).slice(0, 3));
  });

  it("after a reconnect resends unacknowledged frames at the relay's pace, not all at once", async () => {
    const { clock, advance } = manualClock(NOW);
    const t = setup(async () => null, clock);
    await toChat(t);
    t.relay.disconnect();
    const count = PACED_BURST + 10;
    for (let i = 0; i < count; i++) t.controller.actions.send(`offline ${i}`);
    await settle(50);
    // Nothing is sent while disconnected (it would be refused, and spend the relay's bucket).
    expect(frames(t)).toHaveLength(0);
    (t.relay.transport as { resume: unknown }).resume = async () => ({
      ok: true,
      epoch: 0,
      resumeToken: "R".repeat(43),
    });
    t.relay.connect(true);
    await until(() => frames(t).length === PACED_BURST, "the first burst");
    await settle();
    expect(frames(t)).toHaveLength(PACED_BURST);
    advance(1000);
    await until(() => frames(t).length === count, "the rest, paced");
    expect(frames(t).map((f) => f.seq)).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it("after a reconnect resumes with the token and resends unacknowledged frames byte for byte", async () => {
    const t = setup();
    await toChat(t);
    t.controller.actions.send("first");
    await until(() => frames(t).length === 1, "frame");
    const original = frames(t)[0]!;
    t.relay.disconnect();
    expect(t.controller.store.get().screen).toMatchObject({ session: { connection: "reconnecting" } });
    const fresh = "R".repeat(43);
    (t.relay.transport as { resume: unknown }).resume = async () => ({
      ok: true,
      epoch: 0,
      resumeToken: fresh,
    });
    t.relay.connect(true);
    await until(() => frames(t).length === 2, "resend");
    expect(frames(t)[1]).toEqual(original);
    const screen = t.controller.store.get().screen;
    expect(screen.type === "chat" && screen.session.resumeToken).toBe(fresh);
    expect(screen.type === "chat" && screen.session.connection).toBe("online");
  });

  it("a resume that fails without saying the chat is gone keeps the chat: asked again on the next connection, or on this one after a pause", async () => {
    const t = setup();
    await toChat(t);
    t.controller.actions.send("first");
    await until(() => frames(t).length === 1, "frame");
    const original = frames(t)[0]!;
    const fresh = "R".repeat(43) as ResumeToken;
    const answers: Resumed[] = [
      // The socket dropped before the answer (a node stopping in a deploy closes its sockets).
      { ok: false, error: "internal" },
      // The next node was stopping too, and refused on a socket that stays open.
      { ok: false, error: "shutting-down" },
      { ok: true, epoch: 0, resumeToken: fresh },
    ];
    (t.relay.transport as { resume: unknown }).resume = async (sessionId: string, token: string) => {
      t.relay.sent.push({ type: "resume", sessionId, resumeToken: token });
      return answers.shift() ?? { ok: false, error: "resume-failed" };
    };
    const resumes = () => t.relay.sent.filter((s) => s.type === "resume").length;
    t.relay.disconnect();
    t.relay.connect(true);
    await until(() => resumes() === 1, "the first resume");
    await settle();
    t.relay.disconnect();
    t.relay.connect(true);
    await until(() => frames(t).length === 2, "resumed and resent");
    expect(resumes()).toBe(3);
    expect(frames(t)[1]).toEqual(original);
    expect(t.relay.sent.some((s) => s.type === "leave")).toBe(false);
    const screen = t.controller.store.get().screen;
    expect(screen.type === "chat" && screen.session.connection).toBe("online");
    expect(screen.type === "chat" && screen.session.resumeToken).toBe(fresh);
  });

  it("a resume the relay answers resume-failed ends the chat", async () => {
    const t = setup();
    await toChat(t);
    t.relay.disconnect();
    t.relay.connect(true);
    await until(() => t.controller.store.get().screen.type === "ended", "ended");
    expect(t.controller.store.get().screen).toMatchObject({ type: "ended", reason: "connection-lost" });
  });

  it("quick exit: leaves in the same task, blanks, wipes the worker, and hands the exit URL to the loader", async () => {
    const t = setup();
    await toChat(t);
    const sentBefore = frames(t).length;
    t.controller.actions.quickExit();
    // Synchronously: the relay is told (it ends the session and tells the counselor) and the
    // view is blank, before any timer or worker round trip could be delayed.
    expect(t.relay.sent.at(-1)).toEqual({ type: "leave", sessionId, reason: "quick-exit" });
    expect(t.controller.store.get().screen).toEqual({ type: "blank" });
    await until(() => t.toLoader.some((m) => m.type === "left"), "left to loader");
    // Nothing is sealed after the leave (the relay would refuse it: the session is gone).
    expect(frames(t)).toHaveLength(sentBefore);
    expect(t.relay.sent.filter((s) => s.type === "leave")).toHaveLength(1);
    expect(t.relay.sent.at(-1)).toEqual({ type: "close" });
    // First "blank the page" (with the exit URL), then "leave now" once the leave is out.
    expect(t.toLoader.slice(-2)).toEqual([
      { type: "quick-exit", exitUrl: openConfig.exitUrl },
      { type: "left" },
    ]);
    await until(() => t.pair.terminated(), "worker terminated");
  });

  it("Shift pressed three times in the frame is a quick exit; the loader's quick-exit too", async () => {
    const t = setup();
    await toChat(t);
    for (let i = 0; i < 3; i++)
      document.dispatchEvent(new KeyboardEvent("keydown", { key: "Shift", bubbles: true }));
    expect(t.controller.store.get().screen).toEqual({ type: "blank" });
    const u = setup();
    u.loader({ sahara: 1, type: "init", partner });
    await until(() => u.controller.store.get().screen.type === "start", "start");
    u.loader({ sahara: 1, type: "quick-exit" });
    expect(u.controller.store.get().screen).toEqual({ type: "blank" });
    await until(() => u.toLoader.some((m) => m.type === "quick-exit"), "reply");
  });

  it("hiding asks the loader to drop the frame only when nothing runs in it", async () => {
    const t = setup();
    await toChat(t);
    t.controller.actions.hide();
    expect(t.toLoader.at(-1)).toEqual({ type: "close" });
    await t.controller.actions.endChat();
    t.controller.actions.hide();
    expect(t.toLoader.at(-1)).toEqual({ type: "close", drop: true });
  });

  it("shows an image from the counselor once every chunk is in, and revokes its URL on End chat", async () => {
    const t = setup();
    const counselor = await toChat(t);
    const bytes = Uint8Array.from({ length: 9000 }, (_, i) => (i * 31) % 256);
    const parts = splitImage({ id: "img1", mime: "image/jpeg", bytes, width: 40, height: 30 });
    if (!parts.ok) throw new Error(parts.error);
    const created: Blob[] = [];
    const revoked: string[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      created.push(blob as Blob);
      return `blob:test/${created.length}`;
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation((url) => revoked.push(url));
    const images = () => {
      const screen = t.controller.store.get().screen;
      return screen.type === "chat" ? screen.session.transcript.filter((e) => e.type === "theirs") : [];
    };
    for (const [index, part] of parts.value.entries()) {
      const sealed = mustOk(counselor.channel.seal(encodePayload(part)));
      t.relay.emit("frame", { sessionId, epoch: 0, seq: sealed.seq, ciphertext: sealed.ciphertext });
      await until(() => t.relay.sent.some((s) => s.type === "ack" && s.seq === sealed.seq), "ack");
      // Nothing shows before the last chunk: never a part of an image.
      if (index < parts.value.length - 1) expect(images()).toEqual([]);
    }
    await until(() => images().length === 1, "image shown");
    expect(images()[0]).toMatchObject({
      id: "img1",
      body: "",
      image: { url: "blob:test/1", width: 40, height: 30 },
    });
    expect(new Uint8Array(await created[0]!.arrayBuffer())).toEqual(bytes);
    expect(created[0]!.type).toBe("image/jpeg");
    await t.controller.actions.endChat();
    expect(revoked).toContain("blob:test/1");
    vi.restoreAllMocks();
  });

  it("End chat closes the stream with `end`, leaves, wipes, and shows the erased screen", async () => {
    const t = setup();
    const counselor = await toChat(t);
    await t.controller.actions.endChat();
    expect(t.controller.store.get().screen).toEqual({ type: "ended", reason: "you-ended" });
    const last = frames(t).at(-1);
    if (last?.type !== "frame") throw new Error("no end frame");
    expect(decodePayload(mustOk(counselor.channel.open(last.seq, last.ciphertext)).payload)).toEqual({
      ok: true,
      value: { type: "end" },
    });
    expect(t.relay.sent).toContainEqual({ type: "leave", sessionId, reason: "ended" });
    await until(() => t.pair.terminated(), "worker terminated");
  });

  it("pagehide wipes the chat", async () => {
    const t = setup();
    await toChat(t);
    window.dispatchEvent(new Event("pagehide"));
    expect(t.controller.store.get().screen).toEqual({ type: "ended", reason: "page-hidden" });
    // Synchronously, by the disconnect alone (the relay ends the session on it): a `leave`
    // first would hold the transport for a tick and the disconnect would be lost with the page.
    expect(t.relay.sent.at(-1)).toEqual({ type: "close-now" });
    expect(t.relay.sent.some((s) => s.type === "leave")).toBe(false);
    await until(() => t.pair.terminated(), "worker terminated");
  });

  it("ignores an init naming another partner than the one its URL (and frame-ancestors) names", async () => {
    const t = setup();
    t.loader({ sahara: 1, type: "init", partner: "someone-else" as typeof partner });
    await settle();
    expect(t.controller.store.get().partner).toBeNull();
    t.loader({ sahara: 1, type: "init", partner });
    await until(() => t.controller.store.get().screen.type === "start", "start");
    expect(t.controller.store.get().partner).toBe(partner);
  });

  it("ends the chat when the counselor's certificate does not chain to the org key", async () => {
    const t = setup();
    const join = await startAndJoin(t);
    const impostor = certify(makeOrg());
    const forged = mustOk(
      counselorAccept({
        sessionId,
        epoch: 0,
        survivorPublicKey: join.survivorKey,
        identitySecretKey: impostor.identity.secretKey,
        certificate: impostor.certificate,
      }),
    );
    await settle();
    t.relay.emit("accepted", { sessionId, epoch: 0, handshake: forged.handshake });
    await until(() => t.controller.store.get().screen.type === "ended", "ended");
    expect(t.controller.store.get().screen).toEqual({ type: "ended", reason: "verify-failed" });
    expect(t.relay.sent).toContainEqual({ type: "leave", sessionId, reason: "wiped" });
  });

  it("refuses a counselor on the org's signed revocation list, though the relay forwards the accept", async () => {
    const t = setup(async (org, counselor) =>
      mustOk(
        signRevocationList(org.secretKey, {
          issuedAt: NOW - 1000,
          revokedKeys: [counselor.identity.publicKey],
        }),
      ),
    );
    await toChat(t, "ended");
    expect(t.controller.store.get().screen).toEqual({ type: "ended", reason: "verify-failed" });
    expect(t.relay.sent).toContainEqual({ type: "leave", sessionId, reason: "wiped" });
  });

  it("without a usable revocation list (fetch failed, or a forged list) relies on certificate validity", async () => {
    const failed = setup(async () => {
      throw new TypeError("network");
    });
    await toChat(failed);
    active?.dispose();
    const forged = setup(async (_org, counselor) =>
      mustOk(
        signRevocationList(makeOrg().secretKey, {
          issuedAt: NOW,
          revokedKeys: [counselor.identity.publicKey],
        }),
      ),
    );
    await toChat(forged);
    expect(forged.controller.store.get().screen.type).toBe("chat");
  });

  it("shows the relay's report that the counselor's connection dropped, and clears it when they return", async () => {
    const t = setup();
    await toChat(t);
    const peerConnected = () => {
      const screen = t.controller.store.get().screen;
      return screen.type === "chat" ? screen.session.peerConnected : null;
    };
    expect(peerConnected()).toBe(true);
    t.relay.emit("peer", { sessionId, connected: false });
    await until(() => peerConnected() === false, "peer away");
    t.relay.emit("peer", { sessionId: "ZZZZZZZZZZZZZZZZZZZZZZ" as typeof sessionId, connected: true });
    await settle();
    expect(peerConnected()).toBe(false);
    t.relay.emit("peer", { sessionId, connected: true });
    await until(() => peerConnected() === true, "peer back");
  });
});
