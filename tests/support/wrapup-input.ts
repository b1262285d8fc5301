import type { WrapupInput } from "../../server/db/stats-types.ts";
import type { PartnerId } from "../../shared/protocol/index.ts";

/** 2026-11-28 (a Saturday) 10:15 in Karachi (UTC+5). */
export const SAT_10_15 = Date.UTC(2026, 10, 28, 5, 15);

/**
 * One wrap-up as the statistics store records it: a 25-minute Urdu chat about blackmail on
 * WhatsApp, Saturday 10:15 in Karachi, with nothing else filled in; `overrides` change fields.
 */
export function wrapupInput(overrides: Partial<WrapupInput> = {}): WrapupInput {
  return {
    at: SAT_10_15,
    timeZone: "Asia/Karachi",
    durationMs: 25 * 60_000,
    partner: "demo" as PartnerId,
    language: "ur",
    platform: "whatsapp",
    harassmentTypes: ["blackmail"],
    outcomes: [],
    followUp: false,
    callerType: "self",
    region: null,
    gender: null,
    referrals: [],
    difficult: false,
    ...overrides,
  };
}
