import type { Language, SurvivorEnded } from "../../../shared/protocol/envelopes.ts";
import type { RelayErrorCode } from "../../../shared/protocol/errors.ts";
import type { PartnerId, ResumeToken, SessionId } from "../../../shared/protocol/ids.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";

/**
 * The frame's whole state, as plain data. Nothing here is secret key material: keys live only
 * in the crypto worker. The transcript is here (it must be shown) and is dropped on every wipe.
 */
export type ForWhom = "self" | "someone-else";

/** Why the chat ended, as the survivor is told. */
export type EndReason =
  | "you-ended"
  | "idle"
  | "page-hidden"
  | SurvivorEnded["reason"]
  | "verify-failed"
  | "connection-lost"
  | "relay-error";

/** Problems shown on the start screen (the survivor may simply try again). */
export type StartError =
  | "config-failed"
  | "closed-now"
  | "queue-full"
  | "rate-limited"
  | "connect-failed"
  | "pow-failed";

export type Notice =
  | Readonly<{ type: "joined"; name: string }>
  | Readonly<{ type: "transferring" }>
  | Readonly<{ type: "reconnected" }>;

/** `undelivered`: sealed for a counselor who handed the chat over before acknowledging it. */
export type MineState = "sending" | "sent" | "delivered" | "read" | "undelivered" | "failed";

/** An image the survivor sent: an object URL of the re-encoded bytes, revoked on every wipe. */
export type SentImage = Readonly<{ url: string; width: number; height: number }>;
/** An image from the counselor, held the same way; `url` null when it failed (never shown in part). */
export type ReceivedImage = Readonly<{ url: string | null; width: number; height: number }>;

export type Entry =
  | Readonly<{
      type: "mine";
      id: string;
      body: string;
      at: number;
      state: MineState;
      epoch: number;
      seq: number | null;
      /** Present for an image (then `body` is empty); `seq` is its last chunk's. */
      image?: SentImage;
    }>
  | Readonly<{
      type: "theirs";
      id: string;
      body: string;
      at: number;
      epoch: number;
      seq: number;
      name: string;
      /** Present for an image (then `body` is empty). */
      image?: ReceivedImage;
    }>
  | Readonly<{ type: "notice"; id: string; notice: Notice; at: number }>;

/** Sealed bytes kept until the counselor's end acknowledges them: resent as is after a reconnect. */
export type Outgoing = Readonly<{ epoch: number; seq: number; ciphertext: Uint8Array }>;

export type Counselor = Readonly<{ name: string; safetyCode: string }>;

export type Session = Readonly<{
  sessionId: SessionId;
  resumeToken: ResumeToken;
  epoch: number;
  /** Null while a handshake is being verified (first accept, or after a transfer). */
  counselor: Counselor | null;
  transcript: readonly Entry[];
  unacked: readonly Outgoing[];
  /** Highest sequence number opened from the counselor in this epoch (duplicates are dropped). */
  lastOpened: number | null;
  peerTyping: boolean;
  connection: "online" | "reconnecting";
  /** False while the relay reports the counselor's connection dropped (they may come back). */
  peerConnected: boolean;
}>;

export type WaitingPhase = "connecting" | "solving" | "joining" | "queued" | "verifying";

/**
 * What the survivor sees while connecting: steps, each marked as it completes (the waiting
 * screen derives them from the phase; see `connectProgress`).
 */
export type ConnectStep = "secure" | "human" | "counselor" | "channel";
export type StepState = "done" | "current" | "todo";

export type Screen =
  | Readonly<{ type: "loading" }>
  | Readonly<{ type: "closed" }>
  | Readonly<{ type: "start"; error: StartError | null }>
  | Readonly<{
      type: "waiting";
      phase: WaitingPhase;
      /** Proof-of-work progress, 0..1 (an estimate: the work has no fixed length). */
      progress: number;
      position: number | null;
      estimatedWaitSeconds: number | null;
      /** From the relay: false when no counselor could take a chat now (no wait is promised then). */
      counselorAvailable: boolean | null;
      session: Readonly<{ sessionId: SessionId; resumeToken: ResumeToken }> | null;
      /** The relay connection dropped: the screen says so instead of a place that may be stale. */
      connection: "online" | "reconnecting";
    }>
  | Readonly<{ type: "chat"; session: Session }>
  | Readonly<{ type: "ended"; reason: EndReason }>
  /** Quick exit in progress: nothing is shown while the page is being replaced. */
  | Readonly<{ type: "blank" }>;

export type ScreenType = Screen["type"];

export type State = Readonly<{
  partner: PartnerId | null;
  language: Language;
  /** The partner page's `data-language`, preferred over the helpline's default once config arrives. */
  requestedLanguage: Language | null;
  config: WidgetConfig | null;
  forWhom: ForWhom | null;
  screen: Screen;
  /** Last time the survivor did something (ms); the idle timer wipes after IDLE_WIPE_MS. */
  lastActivityAt: number;
  relayError: RelayErrorCode | null;
  /** The survivor hid the panel; the loader shows it again (`shown`). */
  panelHidden: boolean;
  /** Something from the counselor arrived while hidden: the launcher carries a marker. */
  unread: boolean;
}>;
