import { localDay } from "../hours/zoned-time.ts";
import type { Repositories } from "./repositories.ts";

/**
 * How long rows are kept. The audit log records who did what among staff; a year is enough to
 * investigate a misused account and short enough not to become a staff-surveillance archive.
 * Wrap-ups are anonymous but still row-level (day + hour + categories); three years covers the
 * year-on-year comparisons advocacy reports need. Service figures (hourly counters) follow the
 * wrap-ups' period: the two are read side by side.
 */
export type RetentionPolicy = Readonly<{ auditDays: number; wrapupDays: number }>;

export const DEFAULT_RETENTION: RetentionPolicy = { auditDays: 365, wrapupDays: 3 * 365 + 1 };

const DAY_MS = 86_400_000;

/**
 * Deletes what is past its retention period; call at start and once a day. Returns counts only.
 * Days are the helpline's local days (the wrap-ups' `day` column).
 */
export async function applyRetention(
  repos: Pick<Repositories, "audit" | "stats" | "service" | "settings">,
  nowMs: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Promise<Readonly<{ audit: number; wrapups: number; serviceHours: number }>> {
  const { timeZone } = await repos.settings.get();
  const audit = await repos.audit.deleteBefore(nowMs - policy.auditDays * DAY_MS);
  const firstKept = localDay(timeZone, nowMs - policy.wrapupDays * DAY_MS);
  const wrapups = await repos.stats.deleteBefore(firstKept);
  const serviceHours = await repos.service.deleteBefore(firstKept);
  return { audit, wrapups, serviceHours };
}
