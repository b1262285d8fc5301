import type { Day } from "./records.ts";
import type { ExportPeriod } from "./stats-types.ts";

const DAY_MS = 86_400_000;

function utcOf(day: Day): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** ISO 8601 week of a calendar day, e.g. "2026-W48" (weeks start Monday; week 1 holds Jan 4). */
export function isoWeek(day: Day): string {
  const t = utcOf(day);
  const mondayBased = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = t + (3 - mondayBased) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** Every day from `from` to `to` inclusive (empty when `to` < `from`). */
export function daysBetween(from: Day, to: Day): readonly Day[] {
  const out: Day[] = [];
  for (let t = utcOf(from); t <= utcOf(to); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The export period a day belongs to. */
export function periodOf(day: Day, period: ExportPeriod, range: Readonly<{ from: Day; to: Day }>): string {
  switch (period) {
    case "day":
      return day;
    case "week":
      return isoWeek(day);
    case "month":
      return day.slice(0, 7);
    case "all":
      return `${range.from}/${range.to}`;
    default: {
      const never: never = period;
      throw new Error(`unknown period ${String(never)}`);
    }
  }
}
