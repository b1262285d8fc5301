import type { Holiday, Hours, TimeRange, WeeklySchedule } from "../../../shared/protocol/http/index.ts";

/**
 * Editing the weekly schedule: seven days (0 = Sunday), each with zero or more opening ranges
 * that never cross midnight, plus holidays and the time zone. Pure helpers the screen calls.
 */
export type RangeError = "close-before-open" | "bad-time" | "overlap";

const clock = /^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;

/** The first problem of each range in a day, by index (null: fine). */
export function dayErrors(ranges: readonly TimeRange[]): readonly (RangeError | null)[] {
  const sorted = ranges.map((r, i) => ({ r, i })).sort((a, b) => a.r.open.localeCompare(b.r.open));
  const overlapping = new Set<number>();
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1];
    const cur = sorted[k];
    if (prev && cur && cur.r.open < prev.r.close) overlapping.add(cur.i);
  }
  return ranges.map((r, i) => {
    if (!clock.test(r.open) || !clock.test(r.close)) return "bad-time";
    if (r.open >= r.close) return "close-before-open";
    return overlapping.has(i) ? "overlap" : null;
  });
}

export function scheduleValid(schedule: WeeklySchedule): boolean {
  return schedule.every((day) => dayErrors(day).every((e) => e === null));
}

function mapDay(
  schedule: WeeklySchedule,
  weekday: number,
  fn: (day: readonly TimeRange[]) => TimeRange[],
): WeeklySchedule {
  const days = schedule.map((day, i) => (i === weekday ? fn(day) : [...day]));
  return days as unknown as WeeklySchedule;
}

export function addRange(schedule: WeeklySchedule, weekday: number): WeeklySchedule {
  return mapDay(schedule, weekday, (day) => {
    const last = day[day.length - 1];
    return [
      ...day,
      last
        ? { open: last.close < "23:00" ? last.close : "23:00", close: "24:00" }
        : { open: "09:00", close: "17:00" },
    ];
  });
}

export function removeRange(schedule: WeeklySchedule, weekday: number, index: number): WeeklySchedule {
  return mapDay(schedule, weekday, (day) => day.filter((_, i) => i !== index));
}

export function setRange(
  schedule: WeeklySchedule,
  weekday: number,
  index: number,
  range: TimeRange,
): WeeklySchedule {
  return mapDay(schedule, weekday, (day) => day.map((r, i) => (i === index ? range : r)));
}

/** Copies one day's ranges to every day (the common "same hours all week"). */
export function copyToAllDays(schedule: WeeklySchedule, weekday: number): WeeklySchedule {
  const source = schedule[weekday] ?? [];
  return schedule.map(() => source.map((r) => ({ ...r }))) as unknown as WeeklySchedule;
}

export function addHoliday(hours: Hours, holiday: Holiday): Hours {
  const holidays = [...hours.holidays.filter((h) => h.date !== holiday.date), holiday].sort((a, b) =>
    a.date.localeCompare(b.date),
  );
  return { ...hours, holidays };
}

export function removeHoliday(hours: Hours, date: string): Hours {
  return { ...hours, holidays: hours.holidays.filter((h) => h.date !== date) };
}
