/**
 * Minutes a time zone is ahead of UTC at instant `at`, from Intl (no time-zone database of our
 * own). Returns null for a zone name the browser does not know.
 */
export function zoneOffsetMinutes(timeZone: string, at: number): number | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    }).formatToParts(at);
  } catch {
    return null;
  }
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  const minuteStart = Math.floor(at / 60_000) * 60_000;
  return Number.isFinite(asUtc) ? Math.round((asUtc - minuteStart) / 60_000) : null;
}
