import * as v from "valibot";
import { LanguageSchema } from "../envelopes.ts";
import { PartnerIdSchema, WrapupTokenSchema } from "../ids.ts";
import { DateSchema } from "./common.ts";
import { REFERRAL_CATEGORIES, ReferralCategorySchema } from "./directory.ts";
import { ServiceResponseSchema } from "./service.ts";

/**
 * The wrap-up form feeds anonymous statistics only. No session id, no time finer than the hour:
 * the server takes the date, weekday and hour from its own clock when it stores the entry.
 * Categories are fixed lists so that a free-text field cannot carry a survivor's words.
 */
export const PLATFORMS = [
  "facebook",
  "whatsapp",
  "instagram",
  "tiktok",
  "x-twitter",
  "youtube",
  "snapchat",
  "telegram",
  "email",
  "phone-sms",
  "other",
] as const;

export const HARASSMENT_TYPES = [
  "blackmail",
  "non-consensual-images",
  "impersonation",
  "hacking",
  "stalking",
  "threats",
  "hate-speech",
  "defamation",
  "unwanted-contact",
  "other",
] as const;

export const CALLER_TYPES = ["self", "family", "friend", "other"] as const;

/** What the contact led to (any number of them). */
export const OUTCOMES = [
  "advice",
  "cyber-crime-wing",
  "platform-report",
  "legal-referral",
  "psychological-referral",
  "digital-security",
] as const;

/** A list of distinct values from a fixed list. */
const distinct = <T extends readonly [string, ...string[]]>(options: T, min: number) =>
  v.pipe(
    v.array(v.picklist(options)),
    v.minLength(min),
    v.maxLength(options.length),
    v.check((a) => new Set(a).size === a.length, "duplicate"),
  );

export const REGIONS = [
  "punjab",
  "sindh",
  "khyber-pakhtunkhwa",
  "balochistan",
  "islamabad",
  "gilgit-baltistan",
  "azad-kashmir",
  "outside-pakistan",
] as const;

export const GENDERS = ["woman", "man", "non-binary", "other"] as const;

/** Coarse chat length: the console sends the bucket, never the exact duration. */
export const DURATION_BUCKETS = ["<10m", "10-30m", "30-60m", ">60m"] as const;

/**
 * `POST /api/wrapups` (any counselor) → 204. `token` is the one-time wrap-up token the relay gave
 * this counselor when the chat ended (`leave` reply or `ended` event): one chat, one wrap-up.
 * A missing, spent, expired or someone else's token → 403 `invalid-wrapup-token`.
 */
export const WrapupRequestSchema = v.strictObject({
  token: WrapupTokenSchema,
  partner: PartnerIdSchema,
  language: LanguageSchema,
  platform: v.picklist(PLATFORMS),
  /** One or more: a contact is often about blackmail and non-consensual images at once. */
  harassmentTypes: distinct(HARASSMENT_TYPES, 1),
  callerType: v.picklist(CALLER_TYPES),
  /** Only as volunteered by the survivor. */
  region: v.nullable(v.picklist(REGIONS)),
  gender: v.nullable(v.picklist(GENDERS)),
  /** Kinds of referral made (the referral directory's categories), each at most once. */
  referrals: v.pipe(
    v.array(ReferralCategorySchema),
    v.maxLength(REFERRAL_CATEGORIES.length),
    v.check((a) => new Set(a).size === a.length, "duplicate"),
  ),
  outcomes: distinct(OUTCOMES, 0),
  /** "Follow-up advised": stored as a count only, never linked to a contact or a person. */
  followUp: v.boolean(),
  difficult: v.boolean(),
  duration: v.picklist(DURATION_BUCKETS),
});
export type WrapupRequest = v.InferInput<typeof WrapupRequestSchema>;

/**
 * Query of `GET /api/admin/stats` and `GET /api/admin/stats.csv`: inclusive day range
 * (YYYY-MM-DD, helpline time zone). The CSV also takes `period` (default `all`).
 */
export const StatsQuerySchema = v.strictObject({ from: DateSchema, to: DateSchema });
export type StatsQuery = v.InferInput<typeof StatsQuerySchema>;
export const EXPORT_PERIODS = ["day", "week", "month", "all"] as const;
export const StatsCsvQuerySchema = v.strictObject({
  from: DateSchema,
  to: DateSchema,
  period: v.optional(v.picklist(EXPORT_PERIODS), "all"),
});
export type StatsCsvQuery = v.InferInput<typeof StatsCsvQuerySchema>;

const counts = v.array(v.strictObject({ key: v.string(), count: v.number() }));

/**
 * `GET /api/admin/stats?from=YYYY-MM-DD&to=YYYY-MM-DD`: unsuppressed aggregates for the admin
 * dashboard. The CSV export (`GET /api/admin/stats.csv?from&to&period`, text/csv with columns
 * period,dimension,value,count) suppresses counts under 5 ("<5", or "suppressed" where a small
 * cell could be worked out from the total).
 */
export const StatsResponseSchema = v.strictObject({
  from: DateSchema,
  to: DateSchema,
  total: v.number(),
  difficult: v.number(),
  perDay: v.array(v.strictObject({ day: DateSchema, count: v.number() })),
  /** ISO 8601 weeks, e.g. "2026-W48". */
  perWeek: v.array(v.strictObject({ week: v.string(), count: v.number() })),
  byPlatform: counts,
  /** A wrap-up may name several types: these do not sum to `total`. */
  byHarassmentType: counts,
  /** Outcomes (several per wrap-up possible). */
  byOutcome: counts,
  /** Wrap-ups with "follow-up advised". */
  followUp: v.number(),
  byCallerType: counts,
  /** "unknown" where not volunteered. */
  byRegion: counts,
  byGender: counts,
  /** A wrap-up may name several referral kinds: these do not sum to `total`. */
  byReferral: counts,
  byPartner: counts,
  byLanguage: counts,
  byDuration: counts,
  /** heatmap[weekday][hour] (weekday 0 = Sunday, hour 0-23, helpline time zone). */
  heatmap: v.array(v.array(v.number())),
  /** The helpline's time zone: days, weeks and the heatmap are counted in it. */
  timeZone: v.string(),
  /** Whether people got through (the relay's hourly counters, no session ids). */
  service: ServiceResponseSchema,
});
export type StatsResponse = v.InferOutput<typeof StatsResponseSchema>;
