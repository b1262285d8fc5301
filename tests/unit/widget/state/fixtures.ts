import * as v from "valibot";
import { PartnerIdSchema, ResumeTokenSchema, SessionIdSchema } from "../../../../shared/protocol/ids.ts";
import type { WidgetConfig } from "../../../../shared/protocol/http/widget-config.ts";
import type { FrameEvent } from "../../../../widget/frame/state/events.ts";
import { initialState } from "../../../../widget/frame/state/initial.ts";
import { reduce } from "../../../../widget/frame/state/reducer.ts";
import type { State } from "../../../../widget/frame/state/types.ts";

export const partner = v.parse(PartnerIdSchema, "drf");
export const sessionId = v.parse(SessionIdSchema, "AAAAAAAAAAAAAAAAAAAAAA");
export const resumeToken = v.parse(ResumeTokenSchema, "B".repeat(43));

export const openConfig: WidgetConfig = {
  open: true,
  languages: ["en", "ur"],
  defaultLanguage: "en",
  exitUrl: "https://example.org/weather",
  timeZone: "Asia/Karachi",
  hours: [[], [{ open: "09:00", close: "17:00" }], [], [], [], [], []],
  holidays: [],
  nextOpening: null,
  resources: [
    { name: "Emergency", contact: "15", language: "en" },
    { name: "ایمرجنسی", contact: "15", language: "ur" },
  ],
};

export const run = (events: readonly FrameEvent[], from: State = initialState(0)): State =>
  events.reduce(reduce, from);

/** Events that take a fresh frame to an open chat with counselor "Amina" in epoch 0. */
export const toChat: readonly FrameEvent[] = [
  { type: "init", partner, language: null, now: 0 },
  { type: "config-loaded", config: openConfig },
  { type: "start-requested", now: 1 },
  { type: "challenge-received" },
  { type: "pow-progress", fraction: 0.5 },
  { type: "pow-solved" },
  {
    type: "queued",
    sessionId,
    resumeToken,
    position: 2,
    estimatedWaitSeconds: 120,
    counselorAvailable: true,
  },
  { type: "accepted", epoch: 0 },
  { type: "channel-ready", epoch: 0, counselorName: "Amina", safetyCode: "1234 5678", now: 2 },
];

export function session(state: State) {
  if (state.screen.type !== "chat") throw new Error(`expected chat, got ${state.screen.type}`);
  return state.screen.session;
}
