import type { Language, PartnerId } from "../../shared/protocol/index.ts";
import type { Day, ReferralCategory } from "./records.ts";

export const CALLER_TYPES = ["self", "family", "friend", "other"] as const;
export type CallerType = (typeof CALLER_TYPES)[number];

export const DURATION_BUCKETS = ["<10m", "10-30m", "30-60m", ">60m"] as const;
export type DurationBucket = (typeof DURATION_BUCKETS)[number];

/**
 * A wrap-up as the HTTP layer receives it. `at` and `durationMs` are reduced on insert to the
 * day, weekday and hour in the helpline's time zone and a duration bucket: nothing finer is kept.
 * There is deliberately no session id and no counselor id (ARCHITECTURE.md "Storage").
 */
export type WrapupInput = Readonly<{
  at: number;
  timeZone: string;
  durationMs: number;
  partner: PartnerId;
  language: Language;
  /** Short slug chosen from the console's list (e.g. "whatsapp", "facebook", "other"). */
  platform: string;
  /** Short slugs (e.g. "blackmail", "impersonation", "non-consensual-images", "other"), one or more. */
  harassmentTypes: readonly string[];
  /** Outcome slugs (advice, referrals made, help given). */
  outcomes: readonly string[];
  followUp: boolean;
  callerType: CallerType;
  /** Only as volunteered; null otherwise. */
  region: string | null;
  gender: string | null;
  referrals: readonly ReferralCategory[];
  difficult: boolean;
}>;

/** Inclusive range of days. */
export type DayRange = Readonly<{ from: Day; to: Day }>;

export type Count = Readonly<{ key: string; count: number }>;

/** Unsuppressed aggregates for the admin dashboard (staff only; never published as is). */
export type StatsSummary = Readonly<{
  total: number;
  perDay: readonly Readonly<{ day: Day; count: number }>[];
  /** ISO 8601 weeks, e.g. "2026-W48". */
  perWeek: readonly Readonly<{ week: string; count: number }>[];
  /** Several types per wrap-up possible: these do not sum to `total`. */
  byHarassmentType: readonly Count[];
  byOutcome: readonly Count[];
  followUp: number;
  byPlatform: readonly Count[];
  byCallerType: readonly Count[];
  byPartner: readonly Count[];
  byLanguage: readonly Count[];
  /** "unknown" for wrap-ups where it was not volunteered. */
  byRegion: readonly Count[];
  byGender: readonly Count[];
  /** A wrap-up may name several referral categories, so these do not sum to `total`. */
  byReferral: readonly Count[];
  byDuration: readonly Count[];
  difficult: number;
  /** heatmap[weekday][hour], weekday 0 = Sunday. */
  heatmap: readonly (readonly number[])[];
}>;

export type ExportPeriod = "day" | "week" | "month" | "all";

/**
 * One CSV row. `count` is a number as text, "<5" (suppressed because it is below 5) or
 * "suppressed" (hidden so that the "<5" cells cannot be worked out from the total).
 */
export type CsvRow = Readonly<{ period: string; dimension: string; value: string; count: string }>;
