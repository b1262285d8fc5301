import * as v from "valibot";
import { LanguageSchema } from "../envelopes.ts";
import { TimestampSchema } from "./common.ts";
import { HolidaySchema, OpeningIntervalSchema, TimeZoneSchema } from "./hours.ts";
import { ExitUrlSchema } from "./partners.ts";

/**
 * `GET /api/widget/config?partner=ID`: public, CORS `*`, never credentials, `no-store`.
 * Unknown or disabled partner → 404 `unknown-partner`.
 */
export const WidgetConfigSchema = v.strictObject({
  open: v.boolean(),
  languages: v.array(LanguageSchema),
  defaultLanguage: LanguageSchema,
  exitUrl: ExitUrlSchema,
  timeZone: TimeZoneSchema,
  hours: v.array(OpeningIntervalSchema),
  /** Upcoming holidays (the next 60 days). */
  holidays: v.array(HolidaySchema),
  /** When the helpline next opens (Unix ms), null when open now or no hours are set. */
  nextOpening: v.nullable(TimestampSchema),
  /** Public referrals for the closed screen (emergency numbers and the like). */
  resources: v.array(v.strictObject({ name: v.string(), contact: v.string() })),
});
export type WidgetConfig = v.InferOutput<typeof WidgetConfigSchema>;
