/**
 * Wall-clock time in an IANA zone, using only Intl (no time-zone library): the helpline's
 * opening hours, holidays and statistics days are all in its local time.
 */

export type LocalTime = Readonly<{
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
}>;

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local calendar fields of an instant. Throws RangeError for an unknown zone. */
export function localTime(timeZone: string, ms: number): LocalTime {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const year = fields.year ?? 1970;
  const month = fields.month ?? 1;
  const day = fields.day ?? 1;
  return {
    year,
    month,
    day,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** YYYY-MM-DD of an instant in the zone. */
export function localDay(timeZone: string, ms: number): string {
  const t = localTime(timeZone, ms);
  return formatDay(t.year, t.month, t.day);
}

export function formatDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The zone's offset from UTC at an instant, in ms (wall clock minus UTC), to the minute. */
function offsetAt(timeZone: string, ms: number): number {
  const t = localTime(timeZone, ms);
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  return wall - (ms - (((ms % 60_000) + 60_000) % 60_000));
}

/**
 * The instant at which the zone's clocks show `minutes` past midnight of the given date
 * (minutes may be 1440 for "24:00"). Ambiguous wall times (clocks going back) resolve to the
 * earlier instant; a wall time inside a daylight-saving gap moves forward by the gap's length
 * (02:30 becomes 03:30), like Temporal's "compatible" disambiguation.
 */
export function zonedInstant(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  minutes: number,
): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  // The offsets a day either side cover both sides of any transition near this wall time.
  const offsets = new Set([
    offsetAt(timeZone, wall - DAY_MS),
    offsetAt(timeZone, wall),
    offsetAt(timeZone, wall + DAY_MS),
  ]);
  const candidates = [...offsets].map((o) => wall - o);
  const valid = candidates.filter((c) => offsetAt(timeZone, c) === wall - c);
  return valid.length > 0 ? Math.min(...valid) : Math.max(...candidates);
}
