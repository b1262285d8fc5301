import type { ServiceResponse } from "../../../shared/protocol/http/index.ts";
import {
  ABANDON_BUCKETS,
  abandonCounts,
  percentileBucket,
  SERVICE_COUNTERS,
  type ServiceCounter,
  WAIT_BUCKETS,
  type WaitBucket,
} from "../../../shared/stats/service-level.ts";
import { suppressService } from "../../../shared/stats/service-suppression.ts";
import { COMPLEMENTARY } from "../../../shared/stats/suppression.ts";
import {
  type Bar,
  type DisplayCount,
  type HeatCell,
  heatLevels,
  published,
  rangeDates,
  shareOf,
} from "./stats-view.ts";

/**
 * Service level beside the contact figures: offered, answered (and its share), waits, abandoned
 * chats by how long they waited, quick exits, refusals, and when people tried while the helpline
 * was closed. With "Hide small counts" on, exactly what the CSV publishes for the range as one
 * period (suppressService, shared with server/db/service-export.ts).
 */

/** A wait percentile: the bucket it falls in, none (no waits), or hidden. */
export type WaitFigure = Readonly<{ bucket: WaitBucket | null; hidden: boolean }>;

export type ServiceView = Readonly<{
  counters: Readonly<Record<ServiceCounter, DisplayCount>>;
  /** Answered as a whole-number percentage of offered, only when both are shown. */
  answeredShare: number | null;
  p50: WaitFigure;
  p90: WaitFigure;
  abandoned: readonly Bar[];
  closed: readonly (readonly HeatCell[])[];
}>;

function waitFigure(shown: string): WaitFigure {
  if (shown === COMPLEMENTARY) return { bucket: null, hidden: true };
  return { bucket: shown === "" ? null : (shown as WaitBucket), hidden: false };
}

const cellsOf = (closedByHour: readonly number[]) => (weekday: number, hour: number) =>
  Math.max(0, closedByHour[weekday * 24 + hour] ?? 0);

export function serviceView(service: ServiceResponse, hideSmall: boolean): ServiceView {
  const abandoned = abandonCounts(service.abandonedWaits);
  const raw = cellsOf(service.closedByHour);
  if (!hideSmall) {
    const exact = (n: number): DisplayCount => ({ value: Math.max(0, n), hidden: null });
    const counters = Object.fromEntries(
      SERVICE_COUNTERS.map((c) => [c, exact(service.counters[c])]),
    ) as Record<ServiceCounter, DisplayCount>;
    const figure = (p: number): WaitFigure => ({
      bucket: percentileBucket(service.answeredWaits, p),
      hidden: false,
    });
    return {
      counters,
      answeredShare: shareOf(counters.answered, counters.offered),
      p50: figure(0.5),
      p90: figure(0.9),
      abandoned: ABANDON_BUCKETS.map((key, i) => ({ key, count: exact(abandoned[i] ?? 0) })),
      closed: heatLevels((w, h) => exact(raw(w, h))),
    };
  }
  const shown = suppressService({
    counters: service.counters,
    answeredWaits: service.answeredWaits,
    abandonedWaits: service.abandonedWaits,
    closedByHour: service.closedByHour,
  });
  const counters = Object.fromEntries(
    SERVICE_COUNTERS.map((c) => [c, published(service.counters[c], shown.counters[c])]),
  ) as Record<ServiceCounter, DisplayCount>;
  return {
    counters,
    answeredShare: shareOf(counters.answered, counters.offered),
    p50: waitFigure(shown.p50),
    p90: waitFigure(shown.p90),
    abandoned: ABANDON_BUCKETS.map((key, i) => ({
      key,
      count: published(abandoned[i] ?? 0, shown.abandoned[i]),
    })),
    closed: heatLevels((w, h) => published(raw(w, h), shown.closedByHour[w * 24 + h])),
  };
}

/** One day's waits: the answered chats they were read from, and the two percentiles. */
export type DayWaits = Readonly<{ day: string; answered: DisplayCount; p50: WaitFigure; p90: WaitFigure }>;

/**
 * Waits per day, every day of the range (quiet days too, so a row's presence says nothing). With
 * "Hide small counts", each day as the CSV's `period=day` export publishes it.
 */
export function dailyWaits(
  service: ServiceResponse,
  range: Readonly<{ from: string; to: string }>,
  hideSmall: boolean,
): readonly DayWaits[] {
  const byDay = new Map(service.perDay.map((d) => [d.day, d]));
  const none = WAIT_BUCKETS.map(() => 0);
  return rangeDates(range.from, range.to).map((day) => {
    const d = byDay.get(day);
    const counters = d?.counters ?? emptyService().counters;
    const answeredWaits = d?.answeredWaits ?? none;
    if (!hideSmall) {
      const figure = (p: number): WaitFigure => ({
        bucket: percentileBucket(answeredWaits, p),
        hidden: false,
      });
      return {
        day,
        answered: { value: counters.answered, hidden: null },
        p50: figure(0.5),
        p90: figure(0.9),
      };
    }
    const shown = suppressService({ counters, answeredWaits, abandonedWaits: d?.abandonedWaits ?? none });
    return {
      day,
      answered: published(counters.answered, shown.counters.answered),
      p50: waitFigure(shown.p50),
      p90: waitFigure(shown.p90),
    };
  });
}

/** An empty answer (no figures yet), for screens drawn before the first answer. */
export function emptyService(): ServiceResponse {
  const zero = () => WAIT_BUCKETS.map(() => 0);
  return {
    counters: Object.fromEntries(SERVICE_COUNTERS.map((c) => [c, 0])) as Record<ServiceCounter, number>,
    answeredWaits: zero(),
    abandonedWaits: zero(),
    closedByHour: new Array<number>(7 * 24).fill(0),
    perDay: [],
  };
}
