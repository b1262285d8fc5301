import * as v from "valibot";
import { DateSchema } from "./common.ts";

/**
 * Service figures as `GET /api/admin/stats` sends them (exact; the console hides small counts
 * with shared/stats/service-suppression.ts, as the CSV does). Counters are keyed as
 * SERVICE_COUNTERS and histograms are in WAIT_BUCKETS order (shared/stats/service-level.ts).
 */
const CountersSchema = v.strictObject({
  offered: v.number(),
  answered: v.number(),
  abandoned: v.number(),
  quick_exit: v.number(),
  refused_closed: v.number(),
  refused_full: v.number(),
});

const histogram = v.array(v.number());

export const ServiceDaySchema = v.strictObject({
  day: DateSchema,
  counters: CountersSchema,
  answeredWaits: histogram,
  abandonedWaits: histogram,
});

export const ServiceResponseSchema = v.strictObject({
  /** The whole range. */
  counters: CountersSchema,
  answeredWaits: histogram,
  abandonedWaits: histogram,
  /** Attempts refused as closed, by weekday x 24 + hour (weekday 0 = Sunday, helpline time). */
  closedByHour: v.array(v.number()),
  /** Days of the range with any figure, oldest first. */
  perDay: v.array(ServiceDaySchema),
});
export type ServiceResponse = v.InferOutput<typeof ServiceResponseSchema>;
