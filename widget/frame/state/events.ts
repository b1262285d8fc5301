import type { Language, SurvivorEnded } from "../../../shared/protocol/envelopes.ts";
import type { RelayErrorCode } from "../../../shared/protocol/errors.ts";
import type { PartnerId, ResumeToken, SessionId } from "../../../shared/protocol/ids.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";
import type { Payload } from "../../../shared/protocol/payloads.ts";
import type { EndReason, ForWhom, StartError } from "./types.ts";

/**
 * Everything that can happen to the frame: from the survivor (UI), the loader, the relay, and
 * the crypto worker. Time is passed in (`now`), so the reducer never reads a clock.
 */
export type FrameEvent =
  | Readonly<{ type: "init"; partner: PartnerId; language: Language | null; now: number }>
  | Readonly<{ type: "config-loaded"; config: WidgetConfig }>
  | Readonly<{ type: "config-failed" }>
  | Readonly<{ type: "language-chosen"; language: Language; now: number }>
  | Readonly<{ type: "for-whom-chosen"; value: ForWhom | null; now: number }>
  | Readonly<{ type: "start-requested"; now: number }>
  | Readonly<{ type: "start-failed"; error: StartError }>
  | Readonly<{ type: "challenge-received" }>
  | Readonly<{ type: "pow-progress"; fraction: number }>
  | Readonly<{ type: "pow-solved" }>
  | Readonly<{
      type: "queued";
      sessionId: SessionId;
      resumeToken: ResumeToken;
      position: number;
      estimatedWaitSeconds: number;
      counselorAvailable: boolean;
    }>
  | Readonly<{
      type: "position";
      position: number;
      estimatedWaitSeconds: number;
      counselorAvailable: boolean;
    }>
  | Readonly<{ type: "accepted"; epoch: number }>
  | Readonly<{ type: "channel-ready"; epoch: number; counselorName: string; safetyCode: string; now: number }>
  | Readonly<{ type: "transferring"; epoch: number; now: number }>
  | Readonly<{ type: "message-composed"; id: string; body: string; now: number }>
  | Readonly<{ type: "image-composed"; id: string; url: string; width: number; height: number; now: number }>
  | Readonly<{ type: "image-failed"; id: string }>
  /** An image from the counselor, put together and checked; `url` null: it failed whole. */
  | Readonly<{
      type: "image-received";
      id: string;
      url: string | null;
      width: number;
      height: number;
      now: number;
    }>
  | Readonly<{
      type: "frame-sealed";
      epoch: number;
      seq: number;
      ciphertext: Uint8Array;
      messageId: string | null;
    }>
  /** A sealed frame that completes a message left on a connected socket (no longer only on this device). */
  | Readonly<{ type: "frame-sent"; epoch: number; seq: number }>
  | Readonly<{ type: "frame-acked"; epoch: number; seq: number }>
  | Readonly<{ type: "payload-opened"; epoch: number; seq: number; payload: Payload; now: number }>
  | Readonly<{ type: "disconnected" }>
  /** Connected again while there was no session to resume yet. */
  | Readonly<{ type: "reconnected" }>
  /** The relay's `peer` event: the counselor's own connection dropped or came back. */
  | Readonly<{ type: "peer-status"; connected: boolean }>
  | Readonly<{ type: "resumed"; epoch: number; resumeToken: ResumeToken; now: number }>
  | Readonly<{ type: "relay-ended"; reason: SurvivorEnded["reason"] }>
  | Readonly<{ type: "relay-error"; code: RelayErrorCode }>
  /** The survivor typed, clicked or scrolled: postpones the idle wipe. */
  | Readonly<{ type: "activity"; now: number }>
  | Readonly<{ type: "tick"; now: number }>
  /** The frame decided to end and wipe locally (End chat, page hidden, failed verification...). */
  | Readonly<{ type: "wipe"; reason: EndReason }>
  | Readonly<{ type: "quick-exit" }>
  | Readonly<{ type: "restart"; now: number }>
  /** The survivor hid the panel (Hide or Escape): counselor messages now mark the launcher. */
  | Readonly<{ type: "hidden" }>
  /** The loader showed the panel again. */
  | Readonly<{ type: "shown" }>;

export type FrameEventType = FrameEvent["type"];
