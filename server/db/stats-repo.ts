import type { Kysely } from "kysely";
import { flushDeleted } from "./flush-deleted.ts";
import { randomId } from "./random-id.ts";
import type { StatsRepo } from "./repositories.ts";
import type { Database } from "./schema.ts";
import {
  bump,
  harassmentTypesOf,
  outcomesOf,
  PARTITION_DIMENSIONS,
  referralsOf,
  sortedCounts,
  toWrapupRow,
  type WrapupGroup,
} from "./stats-aggregate.ts";
import { serviceExportRows } from "./service-export.ts";
import { createServiceRepo } from "./service-repo.ts";
import { buildExportRows, toCsv } from "./stats-export.ts";
import { daysBetween, isoWeek } from "./stats-periods.ts";
import type { DayRange, StatsSummary } from "./stats-types.ts";

/** The dashboard's exact aggregates of a range's wrap-up groups. */
export function summarizeGroups(all: readonly WrapupGroup[], range: DayRange): StatsSummary {
  const perDay = new Map<string, number>(daysBetween(range.from, range.to).map((d) => [d, 0]));
  const perWeek = new Map<string, number>([...perDay.keys()].map((d) => [isoWeek(d), 0]));
  const dims = Object.fromEntries(
    Object.keys(PARTITION_DIMENSIONS).map((k) => [k, new Map<string, number>()]),
  ) as Record<keyof typeof PARTITION_DIMENSIONS, Map<string, number>>;
  const referrals = new Map<string, number>();
  const harassment = new Map<string, number>();
  const outcomes = new Map<string, number>();
  const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  let total = 0;
  for (const g of all) {
    total += g.n;
    bump(perDay, g.day, g.n);
    bump(perWeek, isoWeek(g.day), g.n);
    for (const [dim, pick] of Object.entries(PARTITION_DIMENSIONS)) {
      bump(dims[dim as keyof typeof PARTITION_DIMENSIONS], pick(g), g.n);
    }
    for (const r of referralsOf(g)) bump(referrals, r, g.n);
    for (const h of harassmentTypesOf(g)) bump(harassment, h, g.n);
    for (const o of outcomesOf(g)) bump(outcomes, o, g.n);
    const row = heatmap[g.weekday];
    if (row !== undefined) row[g.hour] = (row[g.hour] ?? 0) + g.n;
  }
  return {
    total,
    perDay: [...perDay.entries()].map(([day, count]) => ({ day, count })),
    perWeek: [...perWeek.entries()].map(([week, count]) => ({ week, count })),
    byHarassmentType: sortedCounts(harassment),
    byOutcome: sortedCounts(outcomes),
    followUp: dims.follow_up.get("yes") ?? 0,
    byPlatform: sortedCounts(dims.platform),
    byCallerType: sortedCounts(dims.caller_type),
    byPartner: sortedCounts(dims.partner),
    byLanguage: sortedCounts(dims.language),
    byRegion: sortedCounts(dims.region),
    byGender: sortedCounts(dims.gender),
    byReferral: sortedCounts(referrals),
    byDuration: sortedCounts(dims.duration),
    difficult: dims.difficult.get("yes") ?? 0,
    heatmap,
  };
}

export function createStatsRepo(db: Kysely<Database>): StatsRepo {
  /** Identical wrap-ups in the range collapsed with a count: the database does the heavy part. */
  const groups = async (range: DayRange): Promise<readonly WrapupGroup[]> => {
    const columns = [
      "day",
      "weekday",
      "hour",
      "partner",
      "language",
      "platform",
      "harassment_type",
      "harassment_types",
      "outcomes",
      "follow_up",
      "caller_type",
      "region",
      "gender",
      "referrals",
      "difficult",
      "duration_bucket",
    ] as const;
    const rows = await db
      .selectFrom("wrapups")
      .select(columns)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("day", ">=", range.from)
      .where("day", "<=", range.to)
      .groupBy(columns)
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  };

  const summary = async (range: DayRange): Promise<StatsSummary> =>
    summarizeGroups(await groups(range), range);

  const service = createServiceRepo(db);
  /** Contact rows, then the service rows (whether people got through) of the same periods. */
  const exportRows = async (range: DayRange, period: Parameters<StatsRepo["exportRows"]>[1]) => [
    ...buildExportRows(await groups(range), range, period),
    ...serviceExportRows(await service.days(range), range, period),
  ];

  return {
    async record(input) {
      await db.insertInto("wrapups").values(toWrapupRow(input, randomId())).execute();
    },
    summary,
    exportRows,
    exportCsv: async (range, period) => toCsv(await exportRows(range, period)),
    async deleteBefore(day) {
      const result = await db.deleteFrom("wrapups").where("day", "<", day).executeTakeFirst();
      await flushDeleted(db);
      return Number(result.numDeletedRows);
    },
  };
}
