import type { State } from "./types.ts";

export function initialState(now: number): State {
  return {
    partner: null,
    language: "en",
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
