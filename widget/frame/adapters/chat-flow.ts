import type { SessionId } from "../../../shared/protocol/ids.ts";
import { WAITING_KEEPALIVE_MS } from "../../../shared/protocol/limits.ts";
import { FramePacer, type PacerClock } from "../../../shared/protocol/pacer.ts";
import type { Payload } from "../../../shared/protocol/payloads.ts";
import type { Store } from "../state/store.ts";
import type { Session } from "../state/types.ts";
import type { CryptoClient } from "../worker/client.ts";
import type { Incoming } from "./relay-events.ts";
import type { RelayTransport } from "./relay-socket.ts";

/**
 * Drives one chat over the relay: proof-of-work and join, handshake verification (in the
 * worker), frames both ways with end-to-end acks, transfer, and resume after a drop. It only
 * moves bytes and dispatches events; every decision about what the survivor sees is the
 * reducer's.
 */
export type ChatFlow = Readonly<{
  /** `messageId`: the transcript entry this frame completes (a text, or an image's last chunk). */
  send: (payload: Payload, final?: boolean, messageId?: string | null) => Promise<boolean>;
  /** The current session id, if the relay gave one. */
  sessionId: () => SessionId | null;
  /** Tells the relay the survivor left; resolves once the packet is on its way. */
  leave: (reason: "ended" | "quick-exit" | "wiped") => Promise<void>;
  close: () => void;
  /** Sends a read receipt held back while the chat was out of sight (call when it is seen). */
  flushRead: () => void;
  /**
   * Leave by closing the socket synchronously, for `pagehide` (no later tick is guaranteed): the
   * relay treats the deliberate disconnect as leaving. No `leave` event first: it would occupy
   * the transport for a tick and the disconnect packet behind it would be dropped with the page.
   */
  leaveNow: () => void;
}>;

const MAX_POW_RETRIES = 2;
/** Resume answers that leave the chat as it was (the transport's own failure is `internal`). */
const RESUME_AGAIN: ReadonlySet<string> = new Set(["internal", "shutting-down", "rate-limited"]);
/** First pause before asking again on the same connection; doubled up to 8 times that. */
const RESUME_RETRY_MS = 500;

export function startChatFlow(
  store: Store,
  crypto: CryptoClient,
  relay: RelayTransport,
  now: () => number,
  /** The chat is on screen: the panel shown and the page visible. */
  inSight: () => boolean = () => true,
  /** Timers for the frame pacer (tests drive them). */
  clock?: PacerClock,
  /** An image header or chunk from the counselor, in the order the channel opened them. */
  onImagePart: (part: Extract<Payload, { type: "image" | "image-chunk" }>) => void = () => {},
): ChatFlow {
  let solving = false;
  let powRetries = 0;
  /**
   * A challenge that arrived while a proof was being solved or checked. The relay sends a fresh
   * one together with refusing an expired or invalid proof, before its answer: it is kept here
   * and taken up once that answer says to try again (dropped, the survivor waited for ever).
   */
  let nextChallenge: Incoming["challenge"] | null = null;
  let completing: number | null = null;
  /** The running verification of an accept: frames of its epoch wait for it. */
  let completion: Promise<unknown> = Promise.resolve();
  /** Frames are handled one after another, in arrival order. */
  let frames: Promise<unknown> = Promise.resolve();
  let readyEpoch: number | null = null;
  let left = false;
  /**
   * Frames leave through the pacer only while connected and, after a reconnection, resumed: a
   * frame sent before `resume` is answered would be refused (and cost the relay's bucket).
   */
  let online = true;
  const pacer = new FramePacer({ canSend: () => online, ...(clock ? { clock } : {}) });
  // The session outlives its screen by a moment: leave (after the reducer has already moved to
  // `ended` or `blank`) still needs the id.
  let lastSession: SessionId | null = null;
  const unsubscribe = store.subscribe(() => {
    lastSession = current()?.sessionId ?? lastSession;
  });
  // The relay frees a queue place whose frame stops saying it is still there (a bot's open
  // socket alone holds nothing); sent only while queued, so it says nothing during a chat, and
  // only while online: after a reconnection, once the resume is answered (the relay takes it as
  // proof that the new resume token arrived).
  const keepAlive = setInterval(() => {
    const screen = store.get().screen;
    if (online && screen.type === "waiting" && screen.session !== null)
      relay.stillWaiting(screen.session.sessionId);
  }, WAITING_KEEPALIVE_MS);

  const current = (): Readonly<{ sessionId: SessionId; resumeToken: Session["resumeToken"] }> | null => {
    const screen = store.get().screen;
    if (screen.type === "chat") return screen.session;
    if (screen.type === "waiting") return screen.session;
    return null;
  };
  const chat = (): Session | null => {
    const screen = store.get().screen;
    return screen.type === "chat" ? screen.session : null;
  };

  const onChallenge = async (challenge: Incoming["challenge"]) => {
    const screen = store.get().screen;
    if (screen.type !== "waiting" || screen.session !== null) return;
    if (solving) {
      nextChallenge = challenge;
      return;
    }
    nextChallenge = null;
    solving = true;
    store.dispatch({ type: "challenge-received" });
    const nonce = await crypto.solve(challenge.challenge, (fraction) =>
      store.dispatch({ type: "pow-progress", fraction }),
    );
    if (!nonce.ok) {
      solving = false;
      if (nonce.error !== "cancelled" && nonce.error !== "terminated")
        store.dispatch({ type: "start-failed", error: "pow-failed" });
      return;
    }
    store.dispatch({ type: "pow-solved" });
    const key = await crypto.newKey();
    const state = store.get();
    if (!key.ok || state.partner === null) {
      solving = false;
      return store.dispatch({ type: "start-failed", error: "connect-failed" });
    }
    const reply = await relay.join({
      challenge: challenge.challenge,
      nonce: nonce.value,
      survivorKey: key.value,
      language: state.language,
      partner: state.partner,
    });
    solving = false;
    const fresh = nextChallenge;
    nextChallenge = null;
    if (reply.ok) return store.dispatch({ type: "queued", ...reply });
    // A challenge that expired while a slow phone worked on it, or while the start screen was
    // read: the relay sent a fresh one with the refusal (or sends it after), which is solved now.
    if ((reply.error === "pow-expired" || reply.error === "pow-invalid") && powRetries++ < MAX_POW_RETRIES) {
      if (fresh) void onChallenge(fresh);
      return;
    }
    store.dispatch({ type: "relay-error", code: reply.error });
  };

  const onAccepted = async (accepted: Incoming["accepted"]) => {
    const known = current();
    if (!known || known.sessionId !== accepted.sessionId) return;
    // After a resume the relay repeats the current accept: the channel already exists.
    if (readyEpoch === accepted.epoch || completing === accepted.epoch) return;
    completing = accepted.epoch;
    store.dispatch({ type: "accepted", epoch: accepted.epoch });
    const completed = crypto.complete(accepted.sessionId, accepted.epoch, accepted.handshake, now());
    completion = completed.catch(() => undefined);
    const result = await completed;
    completing = null;
    if (!result.ok) {
      if (result.error !== "terminated") store.dispatch({ type: "wipe", reason: "verify-failed" });
      return;
    }
    readyEpoch = accepted.epoch;
    store.dispatch({ type: "channel-ready", ...result.value, now: now() });
    const forWhom = store.get().forWhom;
    if (accepted.epoch === 0 && forWhom !== null) await send({ type: "for-whom", value: forWhom });
  };

  const onTransferring = async (transferring: Incoming["transferring"]) => {
    const session = chat();
    if (!session || session.sessionId !== transferring.sessionId) return;
    store.dispatch({ type: "transferring", epoch: transferring.epoch, now: now() });
    const key = await crypto.newKey();
    if (!key.ok) return;
    const reply = await relay.transferKey(session.sessionId, key.value);
    if (!reply.ok) store.dispatch({ type: "relay-error", code: reply.error });
  };

  // "Read" tells the counselor the survivor saw a message: never sent while the panel is
  // minimised or the tab is in the background; held and sent when the chat is seen again.
  let readTimer: ReturnType<typeof setTimeout> | null = null;
  let unreadUpTo: number | null = null;
  const flushRead = () => {
    if (unreadUpTo === null || !inSight()) return;
    const upTo = unreadUpTo;
    unreadUpTo = null;
    void send({ type: "read", upTo });
  };
  const scheduleRead = (upTo: number) => {
    unreadUpTo = upTo;
    if (readTimer !== null) clearTimeout(readTimer);
    readTimer = setTimeout(() => {
      readTimer = null;
      flushRead();
    }, 300);
  };

  const onFrame = async (frame: Incoming["frame"]) => {
    // The counselor may write the moment the relay forwards the accept, before this side has
    // verified it (a slow phone): the frame waits for the channel instead of being dropped.
    if (completing === frame.epoch) await completion;
    const session = chat();
    if (!session || session.sessionId !== frame.sessionId || frame.epoch !== session.epoch) return;
    // Duplicates (a resend after a drop) are dropped before decrypting, but acknowledged
    // again so the counselor's side stops resending.
    if (session.lastOpened !== null && frame.seq <= session.lastOpened) {
      return relay.ack(frame.sessionId, frame.epoch, frame.seq);
    }
    const opened = await crypto.open(frame.epoch, frame.seq, frame.ciphertext);
    if (!opened.ok) {
      if (opened.error === "duplicate") relay.ack(frame.sessionId, frame.epoch, frame.seq);
      return;
    }
    store.dispatch({ type: "payload-opened", ...opened.value, now: now() });
    relay.ack(frame.sessionId, frame.epoch, frame.seq);
    const { payload } = opened.value;
    if (payload.type === "image" || payload.type === "image-chunk") onImagePart(payload);
    if (opened.value.payload.type === "text") scheduleRead(frame.seq);
  };

  /**
   * Sends one sealed frame through the pacer. When its turn comes it goes only if it is still
   * unacknowledged in the current chat and epoch (an ack may have arrived meanwhile).
   */
  const sendFrame = (sessionId: SessionId, epoch: number, seq: number) => {
    pacer.send(
      `${epoch}:${seq}`,
      () => {
        const session = chat();
        if (!session || session.sessionId !== sessionId || session.epoch !== epoch) return false;
        const f = session.unacked.find((u) => u.epoch === epoch && u.seq === seq);
        if (!f) return false;
        relay.frame(sessionId, epoch, seq, f.ciphertext);
        // A message is "sent" once its (last) frame has left, not when it was sealed: while the
        // connection is down it waits here, and the survivor sees it is still on this phone.
        if (
          session.transcript.some(
            (e) => e.type === "mine" && e.epoch === epoch && e.seq === seq && e.state === "sending",
          )
        )
          store.dispatch({ type: "frame-sent", epoch, seq });
        return true;
      },
      seq,
    );
  };

  /** Every unacknowledged frame of the current epoch, in order, at the pace the relay accepts. */
  const resendUnacked = () => {
    const session = chat();
    if (!session || session.counselor === null) return;
    for (const f of session.unacked) {
      if (f.epoch === session.epoch) sendFrame(session.sessionId, f.epoch, f.seq);
    }
  };

  /** Bumped by every connection and every drop: a resume belongs to the socket it was sent on. */
  let link = 0;

  const onConnection = async (connected: boolean, reconnect: boolean) => {
    link++;
    if (!connected) {
      online = false;
      return store.dispatch({ type: "disconnected" });
    }
    // A new socket: the relay's bucket for it is full again.
    pacer.reset();
    if (!reconnect || !current()) {
      online = true;
      // Connected (again) before there is a session to resume: the waiting screen is online.
      store.dispatch({ type: "reconnected" });
      return pacer.wake();
    }
    await resume(link);
  };

  /**
   * Only `resume-failed` says the chat is gone. Any other failure says nothing about it: the
   * answer was lost with its socket (a node stopping in a deploy closes its connections), the
   * node was stopping, or it was busy. The next connection asks again, or this one after a pause.
   */
  const resume = async (mine: number) => {
    for (let attempt = 0; ; attempt++) {
      const known = current();
      if (!known) return;
      const reply = await relay.resume(known.sessionId, known.resumeToken);
      if (mine !== link) return;
      if (reply.ok) {
        online = true;
        store.dispatch({ type: "resumed", epoch: reply.epoch, resumeToken: reply.resumeToken, now: now() });
        resendUnacked();
        return pacer.wake();
      }
      if (!RESUME_AGAIN.has(reply.error)) {
        online = true;
        return store.dispatch({ type: "relay-error", code: "resume-failed" });
      }
      await new Promise((resolve) => setTimeout(resolve, RESUME_RETRY_MS * 2 ** Math.min(attempt, 3)));
      if (mine !== link) return;
    }
  };

  relay.on("challenge", (c) => void onChallenge(c));
  relay.on("accepted", (a) => void onAccepted(a));
  relay.on("transferring", (t) => void onTransferring(t));
  relay.on("frame", (f) => {
    frames = frames.then(() => onFrame(f)).catch(() => undefined);
  });
  relay.on("position", (p) => {
    if (current()?.sessionId === p.sessionId) store.dispatch({ type: "position", ...p });
  });
  relay.on("ack", (a) => {
    if (chat()?.sessionId !== a.sessionId) return;
    store.dispatch({ type: "frame-acked", epoch: a.epoch, seq: a.seq });
    crypto.ack(a.epoch, a.seq);
  });
  relay.on("peer", (p) => {
    if (chat()?.sessionId !== p.sessionId) return;
    store.dispatch({ type: "peer-status", connected: p.connected });
    if (p.connected) resendUnacked();
  });
  relay.on("ended", (e) => {
    if (current()?.sessionId !== e.sessionId) return;
    left = true;
    store.dispatch({ type: "relay-ended", reason: e.reason });
  });
  relay.on("error", (e) => {
    // A frame refused for rate is tried again after a back-off, with every unacknowledged frame
    // after it (the counselor's side takes frames only in order, so those would be dropped).
    if (e.seq !== undefined && e.code === "rate-limited") {
      pacer.refused();
      return resendUnacked();
    }
    // A refused frame stays in the unacked list and is resent when the counselor is back.
    if (e.seq !== undefined && e.code === "peer-offline") return;
    store.dispatch({ type: "relay-error", code: e.code });
  });
  relay.onConnection((connected, reconnect) => void onConnection(connected, reconnect));

  async function send(payload: Payload, final = false, completes: string | null = null): Promise<boolean> {
    const session = chat();
    if (!session || session.counselor === null) return false;
    const sealed = await crypto.seal(payload, final);
    if (!sealed.ok) return false;
    const messageId = payload.type === "text" ? payload.id : completes;
    store.dispatch({ type: "frame-sealed", ...sealed.value, messageId });
    sendFrame(session.sessionId, sealed.value.epoch, sealed.value.seq);
    return true;
  }

  return {
    send,
    sessionId: () => lastSession,
    flushRead,
    leave: async (reason) => {
      if (left || lastSession === null) return;
      left = true;
      await relay.leave(lastSession, reason);
    },
    close: () => {
      pacer.close();
      unsubscribe();
      clearInterval(keepAlive);
      if (readTimer !== null) clearTimeout(readTimer);
      relay.close();
    },
    leaveNow: () => {
      left = true;
      pacer.close();
      clearInterval(keepAlive);
      if (readTimer !== null) clearTimeout(readTimer);
      relay.closeNow();
    },
  };
}
