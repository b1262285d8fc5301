/**
 * Small-count suppression of the service figures, with the rules of suppression.ts (one
 * `suppressGroup`, so the CSV and the console's "Hide small counts" view publish the same):
 *
 * - every counter gets rule 1 ("<5");
 * - answered and abandoned are treated as a partition of offered (a chat offered in one hour may
 *   be answered in the next, so they only nearly sum; treating them as a partition hides more,
 *   never less), the abandonment buckets as a partition of abandoned, and the closed-hours
 *   heatmap as a partition of refused_closed: rule 2 applies when that total is shown, and a
 *   group no hiding protects is withheld whole (rule 3, per group);
 * - the wait percentiles are published only beside a shown answered count (at least 5 waits),
 *   and then only as the bucket they fall in.
 */
import {
  ABANDON_BUCKETS,
  abandonCounts,
  percentileBucket,
  SERVICE_COUNTERS,
  type ServiceCounter,
} from "./service-level.ts";
import { COMPLEMENTARY, suppressGroup } from "./suppression.ts";

export type ServiceFigures = Readonly<{
  counters: Readonly<Record<ServiceCounter, number>>;
  /** WAIT_BUCKETS histograms. */
  answeredWaits: readonly number[];
  abandonedWaits: readonly number[];
  /** Refused-closed attempts by weekday x 24 + hour (weekday 0 = Sunday), when published. */
  closedByHour?: readonly number[];
}>;

export type PublishedService = Readonly<{
  counters: Readonly<Record<ServiceCounter, string>>;
  /** ABANDON_BUCKETS order. */
  abandoned: readonly string[];
  /** A WAIT_BUCKETS key, "" when there were no waits, or COMPLEMENTARY. */
  p50: string;
  p90: string;
  closedByHour: readonly string[];
}>;

const isNumber = (shown: string | undefined) => shown !== undefined && /^\d+$/.test(shown);

/** A group as published, or withheld whole when no hiding protects it (rule 3). */
function group(counts: readonly number[], totalShown: boolean): readonly string[] {
  const result = suppressGroup(counts, totalShown);
  return result.safe ? result.shown : counts.map(() => COMPLEMENTARY);
}

/** The figures of one period (or of the screen's range) as they may be published. */
export function suppressService(figures: ServiceFigures): PublishedService {
  const single = (n: number) => suppressGroup([n], false).shown[0] ?? COMPLEMENTARY;
  const counters = Object.fromEntries(
    SERVICE_COUNTERS.map((c) => [c, single(figures.counters[c])]),
  ) as Record<ServiceCounter, string>;
  const [answered = COMPLEMENTARY, abandoned = COMPLEMENTARY] = group(
    [figures.counters.answered, figures.counters.abandoned],
    isNumber(counters.offered),
  );
  counters.answered = answered;
  counters.abandoned = abandoned;
  const buckets = group(abandonCounts(figures.abandonedWaits), isNumber(abandoned));
  const percentile = (p: number) => {
    if (!isNumber(answered)) return COMPLEMENTARY;
    return percentileBucket(figures.answeredWaits, p) ?? "";
  };
  return {
    counters,
    abandoned: ABANDON_BUCKETS.map((_, i) => buckets[i] ?? COMPLEMENTARY),
    p50: percentile(0.5),
    p90: percentile(0.9),
    closedByHour:
      figures.closedByHour === undefined
        ? []
        : group(figures.closedByHour, isNumber(counters.refused_closed)),
  };
}
