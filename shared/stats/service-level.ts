/**
 * Service figures: whether people got through. The relay reports events (never a session id);
 * storage adds them to per-hour counters and per-day wait histograms; the console and the CSV
 * read percentiles back from the histograms. Pure: used by server, console and tests alike.
 *
 * Resolution of waits: a wait is kept only as one of WAIT_BUCKETS, so a percentile is known
 * only to the bucket it falls in ("p50: 1-2 min"), never to the second. The edges are finer
 * where most waits fall (the first minutes) and include 1, 5 and 15 minutes so the coarse
 * abandonment buckets are unions of them.
 */

/** What the relay tells the service counters. Counted where the state change happens. */
export type ServiceEvent =
  /** A chat joined the queue. */
  | Readonly<{ type: "offered" }>
  /** A counselor joined a chat for the first time (a transfer is not a second answer). */
  | Readonly<{ type: "answered"; waitMs: number }>
  /** A chat ended before any counselor joined it, after waiting this long. */
  | Readonly<{ type: "abandoned"; waitMs: number }>
  /** The survivor pressed Quick exit (waiting or in a chat). */
  | Readonly<{ type: "quick-exit" }>
  /** A join refused: outside opening hours, or the queue (or this address's places) full. */
  | Readonly<{ type: "refused"; reason: "closed" | "full" }>;

export type ServiceEventType = ServiceEvent["type"];

/** Upper edges in minutes of the stored wait buckets; the last bucket is open-ended. */
const WAIT_EDGES_MIN = [0.5, 1, 2, 3, 5, 10, 15, 30, 60] as const;

export const WAIT_BUCKETS = [
  "<30s",
  "30s-1m",
  "1-2m",
  "2-3m",
  "3-5m",
  "5-10m",
  "10-15m",
  "15-30m",
  "30-60m",
  "60m+",
] as const;
export type WaitBucket = (typeof WAIT_BUCKETS)[number];

/** What the screen and the CSV show for abandoned chats: unions of WAIT_BUCKETS. */
export const ABANDON_BUCKETS = ["<1m", "1-5m", "5-15m", "15m+"] as const;
export type AbandonBucket = (typeof ABANDON_BUCKETS)[number];

/** The bucket a wait falls in (a negative wait, from a clock step, counts as none). */
export function waitBucket(waitMs: number): WaitBucket {
  const minutes = Math.max(0, waitMs) / 60_000;
  const i = WAIT_EDGES_MIN.findIndex((edge) => minutes < edge);
  return WAIT_BUCKETS[i === -1 ? WAIT_BUCKETS.length - 1 : i] ?? "60m+";
}

export function abandonBucket(bucket: WaitBucket): AbandonBucket {
  const i = WAIT_BUCKETS.indexOf(bucket);
  if (i < 2) return "<1m";
  if (i < 5) return "1-5m";
  if (i < 7) return "5-15m";
  return "15m+";
}

/** Counts in WAIT_BUCKETS order from `{ bucket, count }` pairs (unknown buckets ignored). */
export function histogram(rows: readonly Readonly<{ bucket: string; count: number }>[]): readonly number[] {
  const out = WAIT_BUCKETS.map(() => 0);
  for (const r of rows) {
    const i = WAIT_BUCKETS.indexOf(r.bucket as WaitBucket);
    if (i >= 0) out[i] = (out[i] ?? 0) + Math.max(0, r.count);
  }
  return out;
}

/** Abandonment counts in ABANDON_BUCKETS order from a WAIT_BUCKETS histogram. */
export function abandonCounts(hist: readonly number[]): readonly number[] {
  const out = ABANDON_BUCKETS.map(() => 0);
  WAIT_BUCKETS.forEach((b, i) => {
    const j = ABANDON_BUCKETS.indexOf(abandonBucket(b));
    out[j] = (out[j] ?? 0) + (hist[i] ?? 0);
  });
  return out;
}

/**
 * The bucket holding the p-th percentile (0 < p <= 1) of a WAIT_BUCKETS histogram: the first
 * bucket whose running total reaches ceil(p x n) (nearest-rank). Null when there are no waits.
 */
export function percentileBucket(hist: readonly number[], p: number): WaitBucket | null {
  const n = hist.reduce((s, c) => s + c, 0);
  if (n <= 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const [i, bucket] of WAIT_BUCKETS.entries()) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return bucket;
  }
  return WAIT_BUCKETS[WAIT_BUCKETS.length - 1] ?? null;
}

/** Adds histograms bucket by bucket. */
export function addHistograms(a: readonly number[], b: readonly number[]): readonly number[] {
  return WAIT_BUCKETS.map((_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

/** The per-hour counters, by the name the CSV and the storage use. */
export const SERVICE_COUNTERS = [
  "offered",
  "answered",
  "abandoned",
  "quick_exit",
  "refused_closed",
  "refused_full",
] as const;
export type ServiceCounter = (typeof SERVICE_COUNTERS)[number];

/** The counter an event adds one to. */
export function counterOf(event: ServiceEvent): ServiceCounter {
  switch (event.type) {
    case "offered":
      return "offered";
    case "answered":
      return "answered";
    case "abandoned":
      return "abandoned";
    case "quick-exit":
      return "quick_exit";
    case "refused":
      return event.reason === "closed" ? "refused_closed" : "refused_full";
    default: {
      const never: never = event;
      throw new Error(`unknown service event ${String(never)}`);
    }
  }
}
