import { type Holiday, minutesOf, type OpeningHours, type WeeklySchedule } from "./schedule.ts";
import { formatDay, localTime, zonedInstant } from "./zoned-time.ts";

/** How far ahead `nextOpening` looks before concluding the helpline has no opening hours. */
const HORIZON_DAYS = 400;
const DAY_MS = 86_400_000;

export type OpeningStatus =
  | Readonly<{ type: "open"; closesAt: number }>
  | Readonly<{ type: "closed"; opensAt: number | null }>;

/** Pure: is the helpline open at `nowMs`? Holidays close the whole local day. */
export function isOpenAt(
  schedule: WeeklySchedule,
  holidays: readonly Holiday[],
  timeZone: string,
  nowMs: number,
): boolean {
  const t = localTime(timeZone, nowMs);
  const today = formatDay(t.year, t.month, t.day);
  if (holidays.some((h) => h.date === today)) return false;
  const minutes = t.hour * 60 + t.minute;
  const ranges = schedule[t.weekday] ?? [];
  return ranges.some((r) => minutesOf(r.open) <= minutes && minutes < minutesOf(r.close));
}

/**
 * The earliest instant at or after `nowMs` at which the helpline is open (`nowMs` itself when
 * open now), or null when no opening falls within the next 400 days.
 */
export function nextOpening(
  schedule: WeeklySchedule,
  holidays: readonly Holiday[],
  timeZone: string,
  nowMs: number,
): number | null {
  const holidaySet = new Set(holidays.map((h) => h.date));
  const start = localTime(timeZone, nowMs);
  // Walk local calendar days; Date.UTC normalises day overflow into the next month/year.
  for (let offset = 0; offset <= HORIZON_DAYS; offset++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (holidaySet.has(formatDay(year, month, day))) continue;
    const ranges = [...(schedule[date.getUTCDay()] ?? [])].sort(
      (a, b) => minutesOf(a.open) - minutesOf(b.open),
    );
    for (const range of ranges) {
      const opens = zonedInstant(timeZone, year, month, day, minutesOf(range.open));
      const closes = zonedInstant(timeZone, year, month, day, minutesOf(range.close));
      if (closes <= nowMs) continue;
      return Math.max(opens, nowMs);
    }
  }
  return null;
}

/**
 * When the current opening ends (adjacent or overlapping ranges count as one opening), or null
 * when closed now. Steps minute-aligned boundaries forward, bounded by the horizon.
 */
export function nextClosing(
  schedule: WeeklySchedule,
  holidays: readonly Holiday[],
  timeZone: string,
  nowMs: number,
): number | null {
  if (!isOpenAt(schedule, holidays, timeZone, nowMs)) return null;
  let t = nowMs;
  const limit = nowMs + HORIZON_DAYS * DAY_MS;
  while (t < limit) {
    const local = localTime(timeZone, t);
    const minutes = local.hour * 60 + local.minute;
    const range = (schedule[local.weekday] ?? []).find(
      (r) => minutesOf(r.open) <= minutes && minutes < minutesOf(r.close),
    );
    if (range === undefined) return t;
    const closes = zonedInstant(timeZone, local.year, local.month, local.day, minutesOf(range.close));
    if (closes <= t || !isOpenAt(schedule, holidays, timeZone, closes)) return Math.max(closes, t);
    t = closes;
  }
  return null;
}

/** Open/closed with the next change, for the widget's configuration endpoint and the relay. */
export function openingStatus(hours: OpeningHours, nowMs: number): OpeningStatus {
  const closesAt = nextClosing(hours.schedule, hours.holidays, hours.timeZone, nowMs);
  if (closesAt !== null) return { type: "open", closesAt };
  return { type: "closed", opensAt: nextOpening(hours.schedule, hours.holidays, hours.timeZone, nowMs) };
}
