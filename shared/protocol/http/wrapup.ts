import * as v from "valibot";
import { LanguageSchema } from "../envelopes.ts";
import { PartnerIdSchema } from "../ids.ts";
import { DateSchema } from "./common.ts";

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

export const CALLER_TYPES = ["self", "family-member", "friend", "other"] as const;

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

export const REFERRAL_KINDS = ["fia", "legal-aid", "psychological", "platform-report", "other"] as const;

export const DURATION_BUCKETS = ["under-10m", "10-30m", "30-60m", "over-60m"] as const;

const set = <T extends readonly [string, ...string[]]>(values: T) =>
  v.pipe(
    v.array(v.picklist(values)),
    v.maxLength(values.length),
    v.check((a) => new Set(a).size === a.length, "duplicate"),
  );

/** `POST /api/wrapups` (any counselor) → 204. */
export const WrapupRequestSchema = v.strictObject({
  partner: PartnerIdSchema,
  language: LanguageSchema,
  platforms: set(PLATFORMS),
  harassmentTypes: set(HARASSMENT_TYPES),
  callerType: v.picklist(CALLER_TYPES),
  /** Only as volunteered by the survivor. */
  region: v.nullable(v.picklist(REGIONS)),
  gender: v.nullable(v.picklist(GENDERS)),
  referrals: set(REFERRAL_KINDS),
  difficult: v.boolean(),
  duration: v.picklist(DURATION_BUCKETS),
});
export type WrapupRequest = v.InferInput<typeof WrapupRequestSchema>;

/** Query of `GET /api/admin/stats` and `GET /api/admin/stats.csv`: inclusive day range. */
export const StatsQuerySchema = v.strictObject({ from: DateSchema, to: DateSchema });
export type StatsQuery = v.InferInput<typeof StatsQuerySchema>;

const counts = v.array(v.strictObject({ key: v.string(), count: v.number() }));

/**
 * `GET /api/admin/stats?from=YYYY-MM-DD&to=YYYY-MM-DD`: aggregates for the dashboard. The CSV
 * export (`GET /api/admin/stats.csv?from&to`, text/csv) suppresses counts under 5.
 */
export const StatsResponseSchema = v.strictObject({
  from: DateSchema,
  to: DateSchema,
  total: v.number(),
  difficult: v.number(),
  byDay: v.array(v.strictObject({ date: DateSchema, count: v.number() })),
  byPlatform: counts,
  byHarassmentType: counts,
  byCallerType: counts,
  byRegion: counts,
  byGender: counts,
  byReferral: counts,
  byPartner: counts,
  byLanguage: counts,
  byDuration: counts,
  /** Contacts by weekday (0 = Sunday) and hour (0-23) in the helpline's time zone. */
  heatmap: v.array(v.strictObject({ weekday: v.number(), hour: v.number(), count: v.number() })),
});
export type StatsResponse = v.InferOutput<typeof StatsResponseSchema>;
