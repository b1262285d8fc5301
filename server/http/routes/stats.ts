import type { Router } from "express";
import {
  type DURATION_BUCKETS,
  StatsCsvQuerySchema,
  StatsQuerySchema,
  WrapupRequestSchema,
} from "../../../shared/protocol/http/index.ts";
import { serviceSummary } from "../../db/service-export.ts";
import type { HttpContext } from "../context.ts";
import { failure, json, noContent } from "../reply.ts";
import { defineRoute } from "../route.ts";

/**
 * The console sends a duration bucket, never an exact length; storage takes milliseconds and
 * re-buckets, so each bucket is passed as a value inside it.
 */
const BUCKET_MS: Readonly<Record<(typeof DURATION_BUCKETS)[number], number>> = {
  "<10m": 5 * 60_000,
  "10-30m": 20 * 60_000,
  "30-60m": 45 * 60_000,
  ">60m": 90 * 60_000,
};

/** Longest range a statistics query may cover (bounds the work per request). */
const MAX_RANGE_DAYS = 3 * 366;

function rangeOk(from: string, to: string): boolean {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  return Number.isFinite(days) && days >= 0 && days <= MAX_RANGE_DAYS;
}

/** Wrap-ups (anonymous statistics only) and the admin's aggregates and CSV export. */
export function statsRoutes(router: Router, ctx: HttpContext): void {
  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/wrapups", access: "counselor", body: WrapupRequestSchema },
    async ({ body, staff }) => {
      if (!(await ctx.repos.partners.get(body.partner))) return failure("unknown-partner");
      // One chat, one wrap-up: the token the relay gave this counselor when the chat ended,
      // spent here (last, so a refused body does not spend it).
      if (!(await ctx.relay().redeemWrapup(staff.record.id, body.token)))
        return failure("invalid-wrapup-token");
      const { timeZone } = await ctx.repos.settings.get();
      // The time comes from the server's clock (reduced to the hour by storage), not the client.
      await ctx.repos.stats.record({
        at: ctx.now(),
        timeZone,
        durationMs: BUCKET_MS[body.duration],
        partner: body.partner,
        language: body.language,
        platform: body.platform,
        harassmentTypes: body.harassmentTypes,
        outcomes: body.outcomes,
        followUp: body.followUp,
        callerType: body.callerType,
        region: body.region,
        gender: body.gender,
        referrals: body.referrals,
        difficult: body.difficult,
      });
      return noContent();
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "get", path: "/api/admin/stats", access: "admin", query: StatsQuerySchema },
    async ({ query }) => {
      if (!rangeOk(query.from, query.to)) return failure("bad-request");
      const range = { from: query.from, to: query.to };
      const s = await ctx.repos.stats.summary(range);
      const service = serviceSummary(await ctx.repos.service.days(range));
      const { timeZone } = await ctx.repos.settings.get();
      return json({
        from: query.from,
        to: query.to,
        total: s.total,
        difficult: s.difficult,
        perDay: s.perDay,
        perWeek: s.perWeek,
        byPlatform: s.byPlatform,
        byHarassmentType: s.byHarassmentType,
        byOutcome: s.byOutcome,
        followUp: s.followUp,
        byCallerType: s.byCallerType,
        byRegion: s.byRegion,
        byGender: s.byGender,
        byReferral: s.byReferral,
        byPartner: s.byPartner,
        byLanguage: s.byLanguage,
        byDuration: s.byDuration,
        heatmap: s.heatmap,
        timeZone,
        service,
      });
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "get", path: "/api/admin/stats.csv", access: "admin", query: StatsCsvQuerySchema },
    async ({ query, res, staff }) => {
      if (!rangeOk(query.from, query.to)) return failure("bad-request");
      const csv = await ctx.repos.stats.exportCsv({ from: query.from, to: query.to }, query.period);
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "stats-export",
        target: null,
      });
      res.setHeader("Cache-Control", "no-store");
      return {
        kind: "text",
        status: 200,
        contentType: "text/csv; charset=utf-8",
        body: csv,
        filename: `sahara-stats-${query.from}-${query.to}.csv`,
      };
    },
  );

  defineRoute(router, ctx, { method: "get", path: "/api/admin/audit", access: "admin" }, async ({ req }) => {
    const raw = Number(req.query.limit ?? 100);
    const limit = Number.isInteger(raw) && raw >= 1 && raw <= 500 ? raw : 100;
    const entries = await ctx.repos.audit.list({ limit });
    return json({
      entries: entries.map((e) => ({ at: e.at, actor: e.actor, action: e.action, target: e.target })),
    });
  });
}
