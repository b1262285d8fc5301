import type { Kysely } from "kysely";
import {
  SERVICE_COUNTERS,
  type ServiceCounter,
  type ServiceEvent,
  counterOf,
  histogram,
  waitBucket,
} from "../../shared/stats/service-level.ts";
import type { ServiceFigures } from "../../shared/stats/service-suppression.ts";
import { formatDay, localTime } from "../hours/zoned-time.ts";
import { flushDeleted } from "./flush-deleted.ts";
import type { Database } from "./schema.ts";
import type { DayRange } from "./stats-types.ts";

/** One local day's service figures (closedByHour: weekday x 24 + hour, only that weekday's row set). */
export type ServiceDay = Readonly<{ day: string; figures: ServiceFigures }>;

export type ServiceRepo = Readonly<{
  /**
   * Adds one event to the counters of its local day and hour (and its wait to the day's
   * histogram). An upsert: nodes sharing the database add to the same rows, nothing is read first.
   */
  count: (event: ServiceEvent, at: number, timeZone: string) => Promise<void>;
  /** Every day of the range that has figures, oldest first. */
  days: (range: DayRange) => Promise<readonly ServiceDay[]>;
  /** Retention: deletes days before `day`; returns how many hour rows. */
  deleteBefore: (day: string) => Promise<number>;
}>;

function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

export function emptyFigures(): ServiceFigures {
  return {
    counters: Object.fromEntries(SERVICE_COUNTERS.map((c) => [c, 0])) as Record<ServiceCounter, number>,
    answeredWaits: histogram([]),
    abandonedWaits: histogram([]),
    closedByHour: new Array<number>(7 * 24).fill(0),
  };
}

/** Sums figures (counters, histograms and closed-hours cells). */
export function addFigures(a: ServiceFigures, b: ServiceFigures): ServiceFigures {
  const cells = (x: ServiceFigures) => x.closedByHour ?? [];
  return {
    counters: Object.fromEntries(SERVICE_COUNTERS.map((c) => [c, a.counters[c] + b.counters[c]])) as Record<
      ServiceCounter,
      number
    >,
    answeredWaits: a.answeredWaits.map((n, i) => n + (b.answeredWaits[i] ?? 0)),
    abandonedWaits: a.abandonedWaits.map((n, i) => n + (b.abandonedWaits[i] ?? 0)),
    closedByHour: Array.from({ length: 7 * 24 }, (_, i) => (cells(a)[i] ?? 0) + (cells(b)[i] ?? 0)),
  };
}

export function createServiceRepo(db: Kysely<Database>): ServiceRepo {
  return {
    async count(event, at, timeZone) {
      const t = localTime(timeZone, at);
      const day = formatDay(t.year, t.month, t.day);
      const counter = counterOf(event);
      const row = { ...emptyFigures().counters, day, hour: t.hour, [counter]: 1 };
      await db
        .insertInto("service_hours")
        .values(row)
        .onConflict((oc) =>
          oc.columns(["day", "hour"]).doUpdateSet((eb) => ({
            [counter]: eb(eb.ref(`service_hours.${counter}`), "+", 1),
          })),
        )
        .execute();
      if (event.type !== "answered" && event.type !== "abandoned") return;
      await db
        .insertInto("service_waits")
        .values({ day, outcome: event.type, bucket: waitBucket(event.waitMs), n: 1 })
        .onConflict((oc) =>
          oc
            .columns(["day", "outcome", "bucket"])
            .doUpdateSet((eb) => ({ n: eb(eb.ref("service_waits.n"), "+", 1) })),
        )
        .execute();
    },

    async days(range) {
      const hours = await db
        .selectFrom("service_hours")
        .selectAll()
        .where("day", ">=", range.from)
        .where("day", "<=", range.to)
        .execute();
      const waits = await db
        .selectFrom("service_waits")
        .selectAll()
        .where("day", ">=", range.from)
        .where("day", "<=", range.to)
        .execute();
      const byDay = new Map<string, ServiceFigures>();
      const add = (day: string, part: ServiceFigures) =>
        byDay.set(day, addFigures(byDay.get(day) ?? emptyFigures(), part));
      for (const h of hours) {
        const closedByHour = new Array<number>(7 * 24).fill(0);
        closedByHour[weekdayOf(h.day) * 24 + h.hour] = Number(h.refused_closed);
        const counters = Object.fromEntries(SERVICE_COUNTERS.map((c) => [c, Number(h[c])])) as Record<
          ServiceCounter,
          number
        >;
        add(h.day, { ...emptyFigures(), counters, closedByHour });
      }
      for (const w of waits) {
        const hist = histogram([{ bucket: w.bucket, count: Number(w.n) }]);
        add(w.day, {
          ...emptyFigures(),
          ...(w.outcome === "answered" ? { answeredWaits: hist } : { abandonedWaits: hist }),
        });
      }
      return [...byDay.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([day, figures]) => ({ day, figures }));
    },

    async deleteBefore(day) {
      const result = await db.deleteFrom("service_hours").where("day", "<", day).executeTakeFirst();
      await db.deleteFrom("service_waits").where("day", "<", day).execute();
      await flushDeleted(db);
      return Number(result.numDeletedRows);
    },
  };
}
