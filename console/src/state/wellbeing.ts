import type { StaffStatus } from "../../../shared/protocol/index.ts";

/**
 * The counselor's own status and decompression breaks. After a chat marked difficult the console
 * offers a break with a timer; the relay assigns nothing while away or on break, and the UI
 * mirrors the status the relay confirmed.
 */
export const STAFF_STATUSES = ["available", "away", "break"] as const;
export const BREAK_MINUTES = [5, 10, 15, 30] as const;
export const DEFAULT_BREAK_MINUTES = 15;

export type Wellbeing = Readonly<{
  /** The status the relay confirmed. */
  status: StaffStatus;
  /**
   * The status the counselor chose: sent again on every connection until the relay confirms it,
   * so a choice made while the server was away is not silently lost.
   */
  wanted: StaffStatus;
  /** Set while on a timed break. */
  breakEndsAt: number | null;
  /** A difficult chat just ended: offer a break. */
  offerBreak: boolean;
}>;

export const initialWellbeing: Wellbeing = {
  status: "away",
  wanted: "away",
  breakEndsAt: null,
  offerBreak: false,
};

export type WellbeingAction =
  | Readonly<{ type: "status-confirmed"; status: StaffStatus }>
  | Readonly<{ type: "status-wanted"; status: StaffStatus }>
  /** The relay no longer knows this counselor (it restarted): nothing is confirmed any more. */
  | Readonly<{ type: "status-lost" }>
  | Readonly<{ type: "difficult-chat-ended" }>
  | Readonly<{ type: "break-started"; now: number; minutes: number }>
  | Readonly<{ type: "offer-dismissed" }>;

export function wellbeingReducer(state: Wellbeing, action: WellbeingAction): Wellbeing {
  switch (action.type) {
    case "status-confirmed":
      return {
        ...state,
        status: action.status,
        breakEndsAt: action.status === "break" ? state.breakEndsAt : null,
      };
    case "status-wanted":
      return { ...state, wanted: action.status };
    case "status-lost":
      return { ...state, status: "away", breakEndsAt: null };
    case "difficult-chat-ended":
      return { ...state, offerBreak: true };
    case "break-started":
      return {
        status: "break",
        wanted: "break",
        breakEndsAt: action.now + Math.max(1, action.minutes) * 60_000,
        offerBreak: false,
      };
    case "offer-dismissed":
      return { ...state, offerBreak: false };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** Milliseconds left on a timed break (0 when over, null when not on one). */
export function breakRemaining(state: Wellbeing, now: number): number | null {
  if (state.status !== "break" || state.breakEndsAt === null) return null;
  return Math.max(0, state.breakEndsAt - now);
}

/** `m:ss` for a countdown. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}
