import * as v from "valibot";
import { DateSchema, textSchema } from "./common.ts";

/** `HH:MM`, 24-hour clock, in the helpline's time zone; `24:00` allowed as a closing time. */
export const ClockTimeSchema = v.pipe(v.string(), v.regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/));

/** One opening interval on a weekday (0 = Sunday ... 6 = Saturday); `closes` after `opens`. */
export const OpeningIntervalSchema = v.pipe(
  v.strictObject({
    weekday: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6)),
    opens: ClockTimeSchema,
    closes: ClockTimeSchema,
  }),
  v.check((i) => i.opens < i.closes, "closes-before-opens"),
);
export type OpeningInterval = v.InferOutput<typeof OpeningIntervalSchema>;

export const HolidaySchema = v.strictObject({ date: DateSchema, name: textSchema(100) });
export type Holiday = v.InferOutput<typeof HolidaySchema>;

/** An IANA time zone name such as `Asia/Karachi` (checked against the runtime's list on the server). */
export const TimeZoneSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(64),
  v.regex(/^[A-Za-z0-9_+\-/]+$/),
);

/** `GET /api/admin/hours`, and the body of `PUT /api/admin/hours` (the whole schedule at once). */
export const HoursSchema = v.strictObject({
  timeZone: TimeZoneSchema,
  weekly: v.pipe(v.array(OpeningIntervalSchema), v.maxLength(50)),
  holidays: v.pipe(v.array(HolidaySchema), v.maxLength(400)),
});
export type Hours = v.InferOutput<typeof HoursSchema>;
