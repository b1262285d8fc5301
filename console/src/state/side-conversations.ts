import type {
  SessionId,
  SideEndReason,
  SideId,
  SideRequest,
  StaffId,
} from "../../../shared/protocol/index.ts";
import type { ErrorCode } from "./errors.ts";

/**
 * "Ask a supervisor": the requests a supervisor sees and the side conversations this console
 * takes part in. Pure; in memory only. Text is dropped the moment a conversation ends.
 */
export type SideLine = Readonly<{ id: string; from: "me" | "peer"; body: string; at: number }>;

export type SidePhase = "asking" | "connecting" | "open" | "ended";

export type SideConversationView = Readonly<{
  requestId: SideId;
  /** `asker`: this console's counselor asked; `helper`: this console's supervisor opened it. */
  role: "asker" | "helper";
  /** The chat it is about (asker only; never sent anywhere but the relay's `side-ask`). */
  sessionId: SessionId | null;
  /** The colleague whose request a helper opened (the answer must be signed by them). */
  counselor: StaffId | null;
  /** As the relay named them until the exchange, then the name in their certificate. */
  peerName: string | null;
  phase: SidePhase;
  messages: readonly SideLine[];
  endReason: SideEndReason | null;
  error: ErrorCode | null;
}>;

export type SideState = Readonly<{
  requests: readonly SideRequest[];
  /** When the request list arrived (local clock): "asked N min ago" counts from here. */
  requestsAt: number;
  conversations: readonly SideConversationView[];
}>;

export const initialSide: SideState = { requests: [], requestsAt: 0, conversations: [] };

export type SideAction =
  | Readonly<{ type: "requests"; requests: readonly SideRequest[]; at: number }>
  | Readonly<{ type: "asked"; requestId: SideId; sessionId: SessionId }>
  | Readonly<{ type: "offering"; requestId: SideId; counselor: StaffId; counselorName: string }>
  | Readonly<{ type: "connecting"; requestId: SideId }>
  | Readonly<{ type: "opened"; requestId: SideId; peerName: string }>
  | Readonly<{ type: "line"; requestId: SideId; line: SideLine }>
  | Readonly<{ type: "failed"; requestId: SideId; error: ErrorCode }>
  | Readonly<{ type: "ended"; requestId: SideId; reason: SideEndReason }>
  | Readonly<{ type: "dismiss"; requestId: SideId }>
  | Readonly<{ type: "wipe-all" }>;

const blank = (
  requestId: SideId,
  role: "asker" | "helper",
  over: Partial<SideConversationView>,
): SideConversationView => ({
  requestId,
  role,
  sessionId: null,
  counselor: null,
  peerName: null,
  phase: role === "asker" ? "asking" : "connecting",
  messages: [],
  endReason: null,
  error: null,
  ...over,
});

function update(
  state: SideState,
  requestId: SideId,
  change: (c: SideConversationView) => SideConversationView,
): SideState {
  // An ended conversation stays on screen until dismissed; only the live one with this id changes.
  const found = state.conversations.find((c) => c.requestId === requestId && c.phase !== "ended");
  if (!found) return state;
  return { ...state, conversations: state.conversations.map((c) => (c === found ? change(c) : c)) };
}

export function sideReducer(state: SideState, action: SideAction): SideState {
  switch (action.type) {
    case "requests":
      return { ...state, requests: action.requests, requestsAt: action.at };
    case "asked":
      return {
        ...state,
        conversations: [
          ...state.conversations.filter((c) => c.requestId !== action.requestId),
          blank(action.requestId, "asker", { sessionId: action.sessionId }),
        ],
      };
    case "offering":
      return {
        ...state,
        conversations: [
          ...state.conversations.filter((c) => c.requestId !== action.requestId),
          blank(action.requestId, "helper", { counselor: action.counselor, peerName: action.counselorName }),
        ],
      };
    case "connecting":
      return update(state, action.requestId, (c) => ({ ...c, phase: "connecting" }));
    case "opened":
      return update(state, action.requestId, (c) => ({ ...c, phase: "open", peerName: action.peerName }));
    case "line":
      return update(state, action.requestId, (c) =>
        c.phase === "open" ? { ...c, messages: [...c.messages, action.line] } : c,
      );
    case "failed":
      return update(state, action.requestId, (c) => ({ ...c, error: action.error }));
    case "ended":
      // The text goes at once; what remains says only that it ended and why.
      return update(state, action.requestId, (c) => ({
        ...c,
        phase: "ended",
        messages: [],
        sessionId: null,
        endReason: action.reason,
      }));
    case "dismiss":
      return { ...state, conversations: state.conversations.filter((c) => c.requestId !== action.requestId) };
    case "wipe-all":
      return initialSide;
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The live (not ended) side conversation about this chat, if its counselor asked. */
export function sideForChat(state: SideState, sessionId: SessionId): SideConversationView | null {
  return state.conversations.find((c) => c.sessionId === sessionId && c.phase !== "ended") ?? null;
}

/** Whole minutes since a request was made, on the local clock. */
export function askedMinutesAgo(request: SideRequest, requestsAt: number, now: number): number {
  return Math.max(0, Math.floor((request.waitingSeconds * 1000 + Math.max(0, now - requestsAt)) / 60_000));
}
