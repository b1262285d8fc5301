import * as v from "valibot";
import { DateSchema, textSchema } from "./common.ts";

/** `HH:MM`, 24-hour clock, in the helpline's time zone; `24:00` allowed as a closing time. */
export const ClockTimeSchema = v.pipe(v.string(), v.regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/));

/** One opening range within a day; never crosses midnight (a night shift is two ranges). */
export const TimeRangeSchema = v.pipe(
  v.strictObject({ open: ClockTimeSchema, close: ClockTimeSchema }),
  v.check((r) => r.open < r.close, "close-before-open"),
);
export type TimeRange = v.InferOutput<typeof TimeRangeSchema>;

const DayHoursSchema = v.pipe(v.array(TimeRangeSchema), v.maxLength(8));

/** Seven lists of ranges, index 0 = Sunday ... 6 = Saturday (`Date#getDay` numbering). */
export const WeeklyScheduleSchema = v.tuple([
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
]);
export type WeeklySchedule = v.InferOutput<typeof WeeklyScheduleSchema>;

export const HolidaySchema = v.strictObject({ date: DateSchema, label: textSchema(200, 0) });
export type Holiday = v.InferOutput<typeof HolidaySchema>;

/** An IANA time zone name such as `Asia/Karachi` (checked against the runtime's list on the server). */
export const TimeZoneSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(64),
  v.regex(/^[A-Za-z0-9_+\-/]+$/),
);

/**
 * `GET /api/admin/hours`, and the body of `PUT /api/admin/hours` → Hours: the whole schedule,
 * time zone and holiday list at once (holidays not in the list are removed).
 */
export const HoursSchema = v.strictObject({
  timeZone: TimeZoneSchema,
  schedule: WeeklyScheduleSchema,
  holidays: v.pipe(v.array(HolidaySchema), v.maxLength(400)),
});
export type Hours = v.InferOutput<typeof HoursSchema>;
