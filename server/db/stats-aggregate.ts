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
  const types = [...new Set(input.harassmentTypes)].sort();
  return {
    id,
    day: formatDay(t.year, t.month, t.day),
    weekday: t.weekday,
    hour: t.hour,
    partner: input.partner,
    language: input.language,
    platform: input.platform,
    harassment_type: types[0] ?? "other",
    harassment_types: JSON.stringify(types),
    outcomes: JSON.stringify([...new Set(input.outcomes)].sort()),
    follow_up: input.followUp ? 1 : 0,
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

function stringList(json: string | null): readonly string[] {
  if (json === null) return [];
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((r): r is string => typeof r === "string") : [];
}

export function referralsOf(group: WrapupGroup): readonly ReferralCategory[] {
  return stringList(group.referrals) as readonly ReferralCategory[];
}

/** Every harassment type of a wrap-up (one or more; rows from before 0002 have their single type). */
export function harassmentTypesOf(group: WrapupGroup): readonly string[] {
  const list = stringList(group.harassment_types);
  return list.length > 0 ? list : [group.harassment_type];
}

export function outcomesOf(group: WrapupGroup): readonly string[] {
  return stringList(group.outcomes);
}

export const UNKNOWN = "unknown";

/** One value per wrap-up for each partition dimension (each wrap-up counts exactly once). */
export const PARTITION_DIMENSIONS = {
  platform: (g: WrapupGroup) => g.platform,
  caller_type: (g: WrapupGroup) => g.caller_type,
  partner: (g: WrapupGroup) => g.partner,
  language: (g: WrapupGroup) => g.language,
  region: (g: WrapupGroup) => g.region ?? UNKNOWN,
  gender: (g: WrapupGroup) => g.gender ?? UNKNOWN,
  duration: (g: WrapupGroup) => g.duration_bucket,
  difficult: (g: WrapupGroup) => (g.difficult === 1 ? "yes" : "no"),
  follow_up: (g: WrapupGroup) => (g.follow_up === 1 ? "yes" : "no"),
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
