import type { WeeklySchedule } from "../../../shared/protocol/http/hours.ts";

/** A range of minutes within one weekday (0 = Sunday), `end` exclusive, at most 1440. */
export type DayRange = Readonly<{ start: number; end: number }>;
export type Week = readonly (readonly DayRange[])[];

const DAY = 1440;
const WEEK = 7 * DAY;

const minutes = (clock: string): number => {
  const [h, m] = clock.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

export function scheduleToWeek(schedule: WeeklySchedule): Week {
  return schedule.map((day) =>
    day.map((range) => ({ start: minutes(range.open), end: minutes(range.close) })),
  );
}

/**
 * Moves a weekly schedule by `shift` minutes (the survivor's offset minus the helpline's),
 * splitting ranges that cross midnight. Pure, so the closed screen's "your time" column is
 * tested without a clock or a time zone.
 */
export function shiftWeek(week: Week, shift: number): Week {
  const out: DayRange[][] = [[], [], [], [], [], [], []];
  week.forEach((ranges, day) => {
    for (const range of ranges) {
      let cursor = (((day * DAY + range.start + shift) % WEEK) + WEEK) % WEEK;
      let remaining = range.end - range.start;
      while (remaining > 0) {
        const d = Math.floor(cursor / DAY);
        const take = Math.min(remaining, (d + 1) * DAY - cursor);
        out[d]?.push({ start: cursor - d * DAY, end: cursor - d * DAY + take });
        remaining -= take;
        cursor = (cursor + take) % WEEK;
      }
    }
  });
  return out.map((day) => [...day].sort((a, b) => a.start - b.start));
}

export function formatMinutes(value: number): string {
  const h = Math.floor(value / 60);
  const m = value % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}
