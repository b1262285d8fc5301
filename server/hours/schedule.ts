import * as v from "valibot";

/**
 * Opening hours as an admin edits them: for each weekday (0 = Sunday ... 6 = Saturday, the
 * numbering of `Date#getDay` and of the `wrapups.weekday` column) a list of ranges in the
 * helpline's local time. "HH:MM" strings keep the stored JSON readable; `close` may be "24:00".
 * A range never crosses midnight: a night shift is two ranges on two days.
 */
export type TimeRange = Readonly<{ open: string; close: string }>;
export type DayHours = readonly TimeRange[];
export type WeeklySchedule = Readonly<[DayHours, DayHours, DayHours, DayHours, DayHours, DayHours, DayHours]>;

/** YYYY-MM-DD in the helpline's time zone. */
export type Holiday = Readonly<{ date: string; label: string }>;

export type OpeningHours = Readonly<{
  schedule: WeeklySchedule;
  holidays: readonly Holiday[];
  timeZone: string;
}>;

/** DESIGN.md: the model helpline is open 9:00-17:00 seven days a week, Pakistan time. */
export const DEFAULT_TIME_ZONE = "Asia/Karachi";
const nineToFive: DayHours = [{ open: "09:00", close: "17:00" }];
export const DEFAULT_SCHEDULE: WeeklySchedule = [
  nineToFive,
  nineToFive,
  nineToFive,
  nineToFive,
  nineToFive,
  nineToFive,
  nineToFive,
];

const hhmm = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Minutes since local midnight for "HH:MM" (validated by the schema). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

const TimeRangeSchema = v.pipe(
  v.strictObject({ open: v.pipe(v.string(), v.regex(hhmm)), close: v.pipe(v.string(), v.regex(hhmm)) }),
  v.check((r) => minutesOf(r.open) < minutesOf(r.close), "open must be before close"),
);
const DayHoursSchema = v.pipe(v.array(TimeRangeSchema), v.maxLength(8));

export const WeeklyScheduleSchema = v.tuple([
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
  DayHoursSchema,
]);

export const DaySchema = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/),
  v.check((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, "not a calendar date"),
);

export const HolidaySchema = v.strictObject({
  date: DaySchema,
  label: v.pipe(v.string(), v.maxLength(200)),
});

/** Whether the runtime knows the IANA zone (Intl throws RangeError for unknown zones). */
/**
 * Zones already found valid. Building an Intl.DateTimeFormat costs about half a millisecond, and
 * the stored time zone is validated on every settings read, which every staff socket's
 * handshake does: a flood of handshakes spent 7% of the server's CPU here. Only valid names are
 * kept, and at most MAX_REMEMBERED (spellings differing in case are all valid, so input could
 * otherwise grow the set without end).
 */
const validZones = new Set<string>();
const MAX_REMEMBERED = 1024;

export function isValidTimeZone(timeZone: string): boolean {
  if (validZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    return false;
  }
  if (validZones.size < MAX_REMEMBERED) validZones.add(timeZone);
  return true;
}

export const TimeZoneSchema = v.pipe(
  v.string(),
  v.maxLength(64),
  v.check(isValidTimeZone, "unknown time zone"),
);
