import type { Language } from "../../../shared/protocol/envelopes.ts";

/** Dates and names through Intl in the survivor's language; nothing here reads a clock. */
const locale = (language: Language) => (language === "ur" ? "ur-PK" : "en-GB");

/** Weekday names, Sunday first, in the survivor's language. 2023-01-01 was a Sunday. */
export function weekdayNames(language: Language): readonly string[] {
  const format = new Intl.DateTimeFormat(locale(language), { weekday: "long", timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, day) => format.format(Date.UTC(2023, 0, 1 + day)));
}

/** "Monday 09:00" in a given zone (the survivor's own when `timeZone` is undefined). */
export function formatInstant(at: number, language: Language, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat(locale(language), {
      weekday: "long",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      ...(timeZone ? { timeZone } : {}),
    }).format(at);
  } catch {
    return new Date(at).toISOString().slice(0, 16).replace("T", " ");
  }
}

export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(locale(language)).format(value);
}

/**
 * A holiday (`YYYY-MM-DD`, a helpline-local calendar day) as a reader would write it:
 * "Friday 25 December" / "جمعہ 25 دسمبر". Read as a UTC date so no zone shifts the day.
 */
export function formatDay(day: string, language: Language): string {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  try {
    return new Intl.DateTimeFormat(locale(language), {
      weekday: "long",
      day: "numeric",
      month: "long",
      timeZone: "UTC",
    }).format(Date.UTC(y, m - 1, d));
  } catch {
    return day;
  }
}
