import * as v from "valibot";
import { LanguageSchema } from "../envelopes.ts";
import { TimestampSchema } from "./common.ts";
import { HolidaySchema, TimeZoneSchema, WeeklyScheduleSchema } from "./hours.ts";
import { ExitUrlSchema } from "./partners.ts";

/**
 * `GET /api/widget/config?partner=ID&language=ur`: public, CORS `*`, never credentials,
 * `no-store`. Unknown or disabled partner → 404 `unknown-partner`. `language` (optional,
 * default the partner's) picks the resources' language.
 */
export const WidgetConfigSchema = v.strictObject({
  open: v.boolean(),
  languages: v.array(LanguageSchema),
  defaultLanguage: LanguageSchema,
  exitUrl: ExitUrlSchema,
  timeZone: TimeZoneSchema,
  /** Weekly opening hours in `timeZone` (index 0 = Sunday). */
  hours: WeeklyScheduleSchema,
  /** Upcoming holidays (the next 60 days). */
  holidays: v.array(HolidaySchema),
  /** When the helpline next opens (Unix ms), null when open now or no hours are set. */
  nextOpening: v.nullable(TimestampSchema),
  /** The referral directory in that language, for the closed screen (name and how to reach). */
  resources: v.array(v.strictObject({ name: v.string(), contact: v.string() })),
});
export type WidgetConfig = v.InferOutput<typeof WidgetConfigSchema>;
