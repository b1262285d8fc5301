import * as v from "valibot";
import { LanguageSchema } from "../envelopes.ts";
import { TimestampSchema } from "./common.ts";
import { HolidaySchema, TimeZoneSchema, WeeklyScheduleSchema } from "./hours.ts";
import { ExitUrlSchema } from "./partners.ts";

/**
 * `GET /api/widget/config?partner=ID&language=ur`: public, CORS `*`, never credentials,
 * `no-store`. Unknown or disabled partner → 404 `unknown-partner`. `language` (optional) is
 * accepted for older frames and ignored: resources come in every language, each tagged.
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
  /**
   * The referral directory entries an admin has verified (never one still marked
   * `needsVerification`), in every language, for the closed and ended screens.
   */
  resources: v.array(v.strictObject({ name: v.string(), contact: v.string(), language: LanguageSchema })),
});
export type WidgetConfig = v.InferOutput<typeof WidgetConfigSchema>;

export { WIDGET_CONFIG_ELEMENT_ID } from "./widget-config-element.ts";
