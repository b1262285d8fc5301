import { localTime, formatDay } from "../hours/zoned-time.ts";
import type { ReferralCategory } from "./records.ts";
import type { WrapupTable } from "./schema.ts";
import type { DurationBucket, WrapupInput } from "./stats-types.ts";

/** Duration is kept only as one of four buckets. */
export function durationBucket(durationMs: number): DurationBucket {
  const minutes = durationMs / 60_000;
  if (minutes < 10) return "<10m";
  if (minutes < 30) return "10-30m";
  if (minutes < 60) return "30-60m";
  return ">60m";
}

/** A wrap-up reduced to what is stored: local day, weekday and hour, buckets, no ids. */
export function toWrapupRow(input: WrapupInput, id: string): WrapupTable {
  const t = localTime(input.timeZone, input.at);
  return {
    id,
    day: formatDay(t.year, t.month, t.day),
    weekday: t.weekday,
    hour: t.hour,
    partner: input.partner,
    language: input.language,
    platform: input.platform,
    harassment_type: input.harassmentType,
    harassment_types: JSON.stringify([input.harassmentType]),
    outcomes: "[]",
    follow_up: 0,
    caller_type: input.callerType,
    region: input.region,
    gender: input.gender,
    referrals: JSON.stringify([...new Set(input.referrals)].sort()),
    difficult: input.difficult ? 1 : 0,
    duration_bucket: durationBucket(input.durationMs),
  };
}

/** Rows as aggregated: identical wrap-ups collapsed with their count (GROUP BY every column). */
export type WrapupGroup = Omit<WrapupTable, "id"> & { n: number };

export function referralsOf(group: WrapupGroup): readonly ReferralCategory[] {
  const value: unknown = JSON.parse(group.referrals);
  return Array.isArray(value) ? value.filter((r): r is ReferralCategory => typeof r === "string") : [];
}

export const UNKNOWN = "unknown";

/** One value per wrap-up for each partition dimension (each wrap-up counts exactly once). */
export const PARTITION_DIMENSIONS = {
  harassment_type: (g: WrapupGroup) => g.harassment_type,
  platform: (g: WrapupGroup) => g.platform,
  caller_type: (g: WrapupGroup) => g.caller_type,
  partner: (g: WrapupGroup) => g.partner,
  language: (g: WrapupGroup) => g.language,
  region: (g: WrapupGroup) => g.region ?? UNKNOWN,
  gender: (g: WrapupGroup) => g.gender ?? UNKNOWN,
  duration: (g: WrapupGroup) => g.duration_bucket,
  difficult: (g: WrapupGroup) => (g.difficult === 1 ? "yes" : "no"),
} as const;

export type PartitionDimension = keyof typeof PARTITION_DIMENSIONS;

/** Adds `n` to `key` in a count map. */
export function bump(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** Sorted by count (descending), then key, for stable output. */
export function sortedCounts(map: ReadonlyMap<string, number>): readonly { key: string; count: number }[] {
  return [...map.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
