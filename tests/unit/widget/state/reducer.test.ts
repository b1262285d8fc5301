import { describe, expect, it } from "vitest";
import { initialState } from "../../../../widget/frame/state/initial.ts";
import { IDLE_WIPE_MS, reduce } from "../../../../widget/frame/state/reducer.ts";
import { openConfig, partner, resumeToken, run, session, sessionId, toChat } from "./fixtures.ts";

describe("frame state machine: before the chat", () => {
  it("waits for init and config, then shows start when open and closed when closed", () => {
    const started = run([{ type: "init", partner, language: null, now: 0 }]);
    expect(started.screen).toEqual({ type: "loading" });
    expect(run([{ type: "config-loaded", config: openConfig }], started).screen).toEqual({
      type: "start",
      error: null,
    });
    expect(run([{ type: "config-loaded", config: { ...openConfig, open: false } }], started).screen).toEqual({
      type: "closed",
    });
  });

  it("prefers the partner page's language when the helpline offers it", () => {
    const ur = run([
      { type: "init", partner, language: "ur", now: 0 },
      { type: "config-loaded", config: openConfig },
    ]);
    expect(ur.language).toBe("ur");
    const notOffered = run([
      { type: "init", partner, language: "ur", now: 0 },
      { type: "config-loaded", config: { ...openConfig, languages: ["en"] } },
    ]);
    expect(notOffered.language).toBe("en");
  });

  it("ignores a second init (the loader cannot re-point the frame at another partner)", () => {
    const s = run([
      { type: "init", partner, language: null, now: 0 },
      { type: "init", partner: "other" as typeof partner, language: "ur", now: 0 },
    ]);
    expect(s.partner).toBe("drf");
    expect(s.language).toBe("en");
  });

  it("walks through proof-of-work, queue and verification", () => {
    const events = toChat.slice(0, 5);
    const solving = run(events);
    expect(solving.screen).toMatchObject({ type: "waiting", phase: "solving", progress: 0.5 });
    const queued = run(toChat.slice(0, 7));
    expect(queued.screen).toEqual({
      type: "waiting",
      phase: "queued",
      progress: 1,
      position: 2,
      estimatedWaitSeconds: 120,
      counselorAvailable: true,
      session: { sessionId, resumeToken },
      connection: "online",
    });
    const moved = reduce(queued, {
      type: "position",
      position: 1,
      estimatedWaitSeconds: 30,
      counselorAvailable: false,
    });
    expect(moved.screen).toMatchObject({ position: 1, estimatedWaitSeconds: 30, counselorAvailable: false });
    expect(run(toChat.slice(0, 8)).screen).toMatchObject({ phase: "verifying" });
  });

  it("never reports proof-of-work as finished before it is", () => {
    const s = run([...toChat.slice(0, 4), { type: "pow-progress", fraction: 7 }]);
    expect(s.screen).toMatchObject({ progress: 0.99 });
    const nan = run([...toChat.slice(0, 4), { type: "pow-progress", fraction: Number.NaN }]);
    expect(nan.screen).toMatchObject({ progress: 0 });
  });

  it("maps relay refusals before queueing to start-screen errors or the closed screen", () => {
    const waiting = run(toChat.slice(0, 4));
    expect(reduce(waiting, { type: "relay-error", code: "queue-full" }).screen).toEqual({
      type: "start",
      error: "queue-full",
    });
    expect(reduce(waiting, { type: "relay-error", code: "closed" }).screen).toEqual({ type: "closed" });
    expect(reduce(waiting, { type: "relay-error", code: "internal" }).screen).toEqual({
      type: "start",
      error: "connect-failed",
    });
  });
});

describe("frame state machine: chat", () => {
  const chat = run(toChat);

  it("opens the chat with the counselor's name, safety code and a joined notice", () => {
    const s = session(chat);
    expect(s.counselor).toEqual({ name: "Amina", safetyCode: "1234 5678" });
    expect(s.transcript).toMatchObject([{ type: "notice", notice: { type: "joined", name: "Amina" } }]);
    expect(s.sessionId).toBe(sessionId);
  });

  it("tracks a message from composed to sealed, sent, acked and read, and keeps the exact bytes until acked", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const s1 = run(
      [
        { type: "message-composed", id: "m1", body: "hello", now: 3 },
        { type: "frame-sealed", epoch: 0, seq: 0, ciphertext: bytes, messageId: "m1" },
      ],
      chat,
    );
    expect(session(s1).unacked).toEqual([{ epoch: 0, seq: 0, ciphertext: new Uint8Array([1, 2, 3]) }]);
    // Sealed is not sent: the frame may still wait on this device for the connection.
    expect(session(s1).transcript.at(-1)).toMatchObject({ type: "mine", state: "sending", seq: 0 });
    const left = reduce(s1, { type: "frame-sent", epoch: 0, seq: 0 });
    expect(session(left).transcript.at(-1)).toMatchObject({ type: "mine", state: "sent", seq: 0 });
    const s2 = reduce(left, { type: "frame-acked", epoch: 0, seq: 0 });
    expect(session(s2).unacked).toEqual([]);
    expect(session(s2).transcript.at(-1)).toMatchObject({ state: "delivered" });
    const s3 = reduce(s2, {
      type: "payload-opened",
      epoch: 0,
      seq: 0,
      payload: { type: "read", upTo: 0 },
      now: 4,
    });
    expect(session(s3).transcript.at(-1)).toMatchObject({ state: "read" });
  });

  it("keeps later frames unacked when an earlier ack arrives", () => {
    const s = run(
      [
        { type: "frame-sealed", epoch: 0, seq: 0, ciphertext: new Uint8Array([0]), messageId: null },
        { type: "frame-sealed", epoch: 0, seq: 1, ciphertext: new Uint8Array([1]), messageId: null },
        { type: "frame-acked", epoch: 0, seq: 0 },
      ],
      chat,
    );
    expect(session(s).unacked.map((f) => f.seq)).toEqual([1]);
  });

  it("shows counselor text and typing, and drops a duplicate frame", () => {
    const text = {
      type: "payload-opened",
      epoch: 0,
      seq: 0,
      payload: { type: "text", id: "t1", body: "hi" },
      now: 5,
    } as const;
    const s = run(
      [{ type: "payload-opened", epoch: 0, seq: 0, payload: { type: "typing", active: true }, now: 4 }],
      chat,
    );
    expect(session(s).peerTyping).toBe(true);
    // seq 0 was used by the typing frame: the same seq again is a duplicate and changes nothing.
    expect(reduce(s, text)).toBe(s);
    const s2 = reduce(s, { ...text, seq: 1 });
    expect(session(s2).peerTyping).toBe(false);
    expect(session(s2).transcript.at(-1)).toMatchObject({
      type: "theirs",
      body: "hi",
      name: "Amina",
      seq: 1,
    });
  });

  it("refuses to compose while no verified counselor is present (during a transfer)", () => {
    const s = run(
      [
        { type: "transferring", epoch: 0, now: 5 },
        { type: "message-composed", id: "m1", body: "hello", now: 6 },
      ],
      chat,
    );
    expect(session(s).counselor).toBeNull();
    expect(session(s).transcript.filter((e) => e.type === "mine")).toEqual([]);
  });

  it("after a transfer shows who joined, the new safety code, and marks old unacked messages undelivered", () => {
    const s = run(
      [
        { type: "message-composed", id: "m1", body: "hello", now: 3 },
        { type: "frame-sealed", epoch: 0, seq: 0, ciphertext: new Uint8Array([9]), messageId: "m1" },
        { type: "transferring", epoch: 0, now: 4 },
        { type: "channel-ready", epoch: 1, counselorName: "Bilal", safetyCode: "9999 0000", now: 5 },
      ],
      chat,
    );
    const current = session(s);
    expect(current.epoch).toBe(1);
    expect(current.counselor).toEqual({ name: "Bilal", safetyCode: "9999 0000" });
    expect(current.unacked).toEqual([]);
    expect(current.transcript.find((e) => e.type === "mine")).toMatchObject({ state: "undelivered" });
    expect(current.transcript.at(-1)).toMatchObject({
      type: "notice",
      notice: { type: "joined", name: "Bilal" },
    });
  });

  it("ignores frames and acks from another epoch", () => {
    const s = reduce(chat, {
      type: "payload-opened",
      epoch: 3,
      seq: 0,
      payload: { type: "typing", active: true },
      now: 5,
    });
    expect(s).toBe(chat);
    expect(reduce(chat, { type: "frame-acked", epoch: 3, seq: 0 })).toBe(chat);
  });

  it("marks reconnecting and back online", () => {
    const s = reduce(chat, { type: "disconnected" });
    expect(session(s).connection).toBe("reconnecting");
    const fresh = "C".repeat(43) as typeof resumeToken;
    const back = session(reduce(s, { type: "resumed", epoch: 0, resumeToken: fresh, now: 6 }));
    expect(back.connection).toBe("online");
    expect(back.resumeToken).toBe(fresh);
    expect(reduce(s, { type: "relay-error", code: "resume-failed" }).screen).toEqual({
      type: "ended",
      reason: "connection-lost",
    });
  });
});

describe("frame state machine: counselor's connection", () => {
  const chat = run(toChat);

  it("marks the counselor away (dropping their typing indicator) and back", () => {
    const typing = reduce(chat, {
      type: "payload-opened",
      epoch: 0,
      seq: 0,
      payload: { type: "typing", active: true },
      now: 5,
    });
    const away = session(reduce(typing, { type: "peer-status", connected: false }));
    expect(away.peerConnected).toBe(false);
    expect(away.peerTyping).toBe(false);
    expect(away.transcript).toEqual(session(typing).transcript);
    expect(session(reduce(typing, { type: "peer-status", connected: true })).peerConnected).toBe(true);
  });

  it("a new counselor after a transfer starts connected; outside a chat the event changes nothing", () => {
    const away = reduce(chat, { type: "peer-status", connected: false });
    const transferred = run(
      [
        { type: "transferring", epoch: 0, now: 4 },
        { type: "channel-ready", epoch: 1, counselorName: "Bilal", safetyCode: "9999 0000", now: 5 },
      ],
      away,
    );
    expect(session(transferred).peerConnected).toBe(true);
    const start = run(toChat.slice(0, 2));
    expect(reduce(start, { type: "peer-status", connected: false })).toBe(start);
  });
});

describe("frame state machine: ending", () => {
  const chat = run(toChat);

  it("ends (dropping the transcript) when the counselor ends, the relay ends, or the survivor wipes", () => {
    expect(
      reduce(chat, { type: "payload-opened", epoch: 0, seq: 0, payload: { type: "end" }, now: 5 }).screen,
    ).toEqual({
      type: "ended",
      reason: "counselor-ended",
    });
    expect(reduce(chat, { type: "relay-ended", reason: "idle" }).screen).toEqual({
      type: "ended",
      reason: "idle",
    });
    const wiped = reduce(chat, { type: "wipe", reason: "you-ended" });
    expect(wiped.screen).toEqual({ type: "ended", reason: "you-ended" });
    expect(JSON.stringify(wiped)).not.toContain("Amina");
  });

  it("wipes an untouched chat after the idle time, measured from the last activity", () => {
    expect(reduce(chat, { type: "tick", now: IDLE_WIPE_MS }).screen.type).toBe("chat");
    expect(reduce(chat, { type: "tick", now: 2 + IDLE_WIPE_MS }).screen).toEqual({
      type: "ended",
      reason: "idle",
    });
    const active = reduce(chat, { type: "activity", now: 1000 });
    expect(reduce(active, { type: "tick", now: 2 + IDLE_WIPE_MS }).screen.type).toBe("chat");
  });

  it("does not idle-wipe someone waiting in the queue", () => {
    const waiting = run(toChat.slice(0, 7));
    expect(reduce(waiting, { type: "tick", now: 10 * IDLE_WIPE_MS }).screen.type).toBe("waiting");
  });

  it("quick exit blanks everything, forgetting partner, config and transcript", () => {
    const s = reduce(chat, { type: "quick-exit" });
    expect(s).toEqual({ ...initialState(0), screen: { type: "blank" } });
    expect(reduce(s, { type: "wipe", reason: "page-hidden" })).toBe(s);
  });

  it("starts again from ended by reloading the configuration, keeping the language", () => {
    const ended = run(
      [
        { type: "language-chosen", language: "ur", now: 3 },
        { type: "wipe", reason: "you-ended" },
      ],
      chat,
    );
    const again = reduce(ended, { type: "restart", now: 9 });
    expect(again.screen).toEqual({ type: "loading" });
    expect(again.language).toBe("ur");
    expect(again.partner).toBe("drf");
    expect(again.config).toBeNull();
    // The partner page asked for nothing (English default): the reloaded config keeps Urdu.
    expect(reduce(again, { type: "config-loaded", config: openConfig }).language).toBe("ur");
  });

  it("marks unread what the counselor sends while the panel is hidden, until it is shown", () => {
    const hidden = reduce(chat, { type: "hidden" });
    expect(hidden.unread).toBe(false);
    const text = (seq: number, hiddenState: typeof chat) =>
      reduce(hiddenState, {
        type: "payload-opened",
        epoch: 0,
        seq,
        payload: { type: "text", id: `c${seq}`, body: "are you there?" },
        now: 5,
      });
    expect(text(0, chat).unread).toBe(false);
    const marked = text(0, hidden);
    expect(marked.unread).toBe(true);
    // Typing is not a message: no marker for it.
    expect(
      reduce(hidden, {
        type: "payload-opened",
        epoch: 0,
        seq: 0,
        payload: { type: "typing", active: true },
        now: 5,
      }).unread,
    ).toBe(false);
    const shown = reduce(marked, { type: "shown" });
    expect([shown.unread, shown.panelHidden]).toEqual([false, false]);
  });

  it("passes on whether any counselor is available while queued", () => {
    const queued = run([
      ...toChat.slice(0, 6),
      {
        type: "queued",
        sessionId,
        resumeToken,
        position: 1,
        estimatedWaitSeconds: 0,
        counselorAvailable: false,
      },
    ]);
    expect(queued.screen).toMatchObject({ phase: "queued", counselorAvailable: false });
  });
});
