import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { State } from "./types.ts";

/** `language`: what the loader chose (the frame's path), so the first screens match it. */
export function initialState(now: number, language: Language = "en"): State {
  return {
    partner: null,
    language,
    requestedLanguage: null,
    config: null,
    forWhom: null,
    screen: { type: "loading" },
    lastActivityAt: now,
    relayError: null,
    panelHidden: false,
    unread: false,
  };
}
