import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { RelayErrorCode } from "../../../shared/protocol/errors.ts";
import type { FrameEvent } from "./events.ts";
import { initialState } from "./initial.ts";
import {
  acked,
  channelReady,
  composed,
  imageComposed,
  imageFailed,
  imageReceived,
  isStale,
  opened,
  sealed,
  sent,
  transferring,
} from "./session.ts";
import type { Screen, Session, StartError, State } from "./types.ts";

/**
 * The frame's state machine: loading → closed | start → waiting (connecting, solving the
 * proof-of-work, joining, queued, verifying) → chat → ended, with `blank` for a quick exit.
 * Pure: no DOM, no clock (time arrives in events), no I/O. The controller performs the effects.
 */

/** The frame wipes a chat or start screen left untouched this long (someone walked away). */
export const IDLE_WIPE_MS = 15 * 60_000;

export function reduce(state: State, event: FrameEvent): State {
  const screen = state.screen;
  switch (event.type) {
    case "init":
      if (state.partner !== null) return state;
      return {
        ...state,
        partner: event.partner,
        requestedLanguage: event.language,
        language: event.language ?? state.language,
        lastActivityAt: event.now,
      };
    case "config-loaded": {
      if (screen.type !== "loading") return state;
      const language = pickLanguage(
        state.requestedLanguage,
        event.config.languages,
        event.config.defaultLanguage,
      );
      return {
        ...state,
        config: event.config,
        language,
        screen: event.config.open ? { type: "start", error: null } : { type: "closed" },
      };
    }
    case "config-failed":
      return screen.type === "loading"
        ? { ...state, screen: { type: "start", error: "config-failed" } }
        : state;
    case "language-chosen":
      return { ...state, language: event.language, lastActivityAt: event.now };
    case "for-whom-chosen":
      return { ...state, forWhom: event.value, lastActivityAt: event.now };
    case "start-requested":
      if (screen.type !== "start" || state.partner === null) return state;
      return {
        ...state,
        lastActivityAt: event.now,
        relayError: null,
        screen: {
          type: "waiting",
          phase: "connecting",
          progress: 0,
          position: null,
          estimatedWaitSeconds: null,
          counselorAvailable: null,
          session: null,
          connection: "online",
        },
      };
    case "start-failed":
      if (screen.type !== "waiting" && screen.type !== "start") return state;
      return {
        ...state,
        screen: event.error === "closed-now" ? { type: "closed" } : { type: "start", error: event.error },
      };
    case "challenge-received":
      return inWaiting(state, (w) => (w.session === null ? { ...w, phase: "solving", progress: 0 } : w));
    case "pow-progress":
      return inWaiting(state, (w) =>
        w.phase === "solving" ? { ...w, progress: clampProgress(event.fraction) } : w,
      );
    case "pow-solved":
      return inWaiting(state, (w) => ({ ...w, phase: "joining", progress: 1 }));
    case "queued":
      return inWaiting(state, (w) => ({
        ...w,
        phase: "queued",
        position: event.position,
        estimatedWaitSeconds: event.estimatedWaitSeconds,
        counselorAvailable: event.counselorAvailable,
        session: { sessionId: event.sessionId, resumeToken: event.resumeToken },
      }));
    case "position":
      return inWaiting(state, (w) => ({
        ...w,
        position: event.position,
        estimatedWaitSeconds: event.estimatedWaitSeconds,
        counselorAvailable: event.counselorAvailable,
      }));
    case "accepted":
      return inWaiting(state, (w) => (w.session === null ? w : { ...w, phase: "verifying" }));
    case "channel-ready":
      return markUnread(state, channelReadyIn(state, event));
    case "transferring":
      return inChat(state, (s) => transferring(s, event));
    case "message-composed":
      return inChat({ ...state, lastActivityAt: event.now }, (s) =>
        s.counselor === null ? s : composed(s, event),
      );
    case "image-composed":
      return inChat({ ...state, lastActivityAt: event.now }, (s) =>
        s.counselor === null ? s : imageComposed(s, event),
      );
    case "image-failed":
      return inChat(state, (s) => imageFailed(s, event.id));
    case "image-received":
      return markUnread(
        state,
        inChat({ ...state, lastActivityAt: event.now }, (s) => imageReceived(s, event)),
      );
    case "frame-sealed":
      return inChat(state, (s) => sealed(s, event));
    case "frame-sent":
      return inChat(state, (s) => sent(s, event));
    case "frame-acked":
      return inChat(state, (s) => acked(s, event));
    case "payload-opened":
      if (screen.type !== "chat" || isStale(screen.session, event.epoch, event.seq)) return state;
      if (event.payload.type === "end") return ended(state, "counselor-ended");
      // A counselor's message counts as activity: a live conversation is not idle.
      if (event.payload.type !== "text") return inChat(state, (s) => opened(s, event));
      return markUnread(
        state,
        inChat({ ...state, lastActivityAt: event.now }, (s) => opened(s, event)),
      );
    case "disconnected":
      if (screen.type === "waiting") return inWaiting(state, (w) => ({ ...w, connection: "reconnecting" }));
      return inChat(state, (s) => ({ ...s, connection: "reconnecting", peerTyping: false }));
    case "reconnected":
      // Connected again before there was a session to resume (Start, the proof, the join).
      return inWaiting(state, (w) =>
        w.session === null && w.connection !== "online" ? { ...w, connection: "online" } : w,
      );
    case "resumed":
      // Each resume token works once: keep the fresh one for the next drop, in the queue too (the
      // relay withdraws the one just used at the next keep-alive or frame, and the chat opened
      // later takes its token from the queue's session).
      if (screen.type === "waiting")
        return inWaiting(state, (w) =>
          w.session === null
            ? w
            : { ...w, connection: "online", session: { ...w.session, resumeToken: event.resumeToken } },
        );
      return inChat(state, (s) => ({ ...s, connection: "online", resumeToken: event.resumeToken }));
    case "peer-status":
      return inChat(state, (s) => ({
        ...s,
        peerConnected: event.connected,
        peerTyping: event.connected && s.peerTyping,
      }));
    case "relay-ended":
      return isLive(screen) ? ended(state, event.reason) : state;
    case "relay-error":
      return relayError(state, event.code);
    case "activity":
      return { ...state, lastActivityAt: event.now };
    case "tick":
      return (screen.type === "chat" || screen.type === "start") &&
        event.now - state.lastActivityAt >= IDLE_WIPE_MS
        ? ended(state, "idle")
        : state;
    case "wipe":
      return screen.type === "blank" || screen.type === "ended" ? state : ended(state, event.reason);
    case "quick-exit":
      return { ...initialState(0), screen: { type: "blank" } };
    case "restart":
      if (screen.type !== "ended") return state;
      // The language the survivor was using is the one they asked for: the config reload that
      // follows must not fall back to the partner's default.
      return {
        ...initialState(event.now),
        partner: state.partner,
        language: state.language,
        requestedLanguage: state.language,
        panelHidden: state.panelHidden,
      };
    case "hidden":
      return { ...state, panelHidden: true };
    case "shown":
      return { ...state, panelHidden: false, unread: false };
    default: {
      const never: never = event;
      return never;
    }
  }
}

function pickLanguage(
  requested: Language | null,
  offered: readonly Language[],
  fallback: Language,
): Language {
  return requested !== null && offered.includes(requested) ? requested : fallback;
}

/** While the panel is hidden, something from the counselor marks the launcher. */
const markUnread = (before: State, after: State): State =>
  after.panelHidden && after.screen !== before.screen ? { ...after, unread: true } : after;

const clampProgress = (fraction: number) =>
  Number.isFinite(fraction) ? Math.min(0.99, Math.max(0, fraction)) : 0;

function isLive(screen: Screen): boolean {
  return screen.type === "waiting" || screen.type === "chat";
}

/** Ending drops the transcript with the screen: only the reason survives. */
function ended(state: State, reason: Extract<Screen, { type: "ended" }>["reason"]): State {
  return { ...state, forWhom: null, relayError: null, screen: { type: "ended", reason } };
}

type Waiting = Extract<Screen, { type: "waiting" }>;

function inWaiting(state: State, update: (waiting: Waiting) => Waiting): State {
  return state.screen.type === "waiting" ? { ...state, screen: update(state.screen) } : state;
}

function inChat(state: State, update: (session: Session) => Session): State {
  if (state.screen.type !== "chat") return state;
  const session = update(state.screen.session);
  return session === state.screen.session ? state : { ...state, screen: { type: "chat", session } };
}

function channelReadyIn(state: State, event: Extract<FrameEvent, { type: "channel-ready" }>): State {
  const screen = state.screen;
  if (screen.type === "chat") return inChat(state, (s) => channelReady(s, event));
  if (screen.type !== "waiting" || screen.session === null) return state;
  const fresh: Session = {
    ...screen.session,
    epoch: event.epoch,
    counselor: null,
    transcript: [],
    unacked: [],
    lastOpened: null,
    peerTyping: false,
    connection: "online",
    peerConnected: true,
  };
  return {
    ...state,
    lastActivityAt: event.now,
    screen: { type: "chat", session: channelReady(fresh, event) },
  };
}

const START_ERRORS: Partial<Record<RelayErrorCode, StartError>> = {
  closed: "closed-now",
  "queue-full": "queue-full",
  "rate-limited": "rate-limited",
  "pow-invalid": "pow-failed",
  "pow-expired": "pow-failed",
  "pow-required": "pow-failed",
};

/** Before the survivor is queued an error sends them back to start; later it ends the chat. */
function relayError(state: State, code: RelayErrorCode): State {
  const screen = state.screen;
  if (screen.type === "waiting" && screen.session === null) {
    const error = START_ERRORS[code] ?? "connect-failed";
    return {
      ...state,
      relayError: code,
      screen: error === "closed-now" ? { type: "closed" } : { type: "start", error },
    };
  }
  if (code === "resume-failed" && isLive(screen)) return ended(state, "connection-lost");
  return { ...state, relayError: code };
}
