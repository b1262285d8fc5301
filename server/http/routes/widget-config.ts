import type { Router } from "express";
import * as v from "valibot";
import type { WidgetConfig } from "../../../shared/protocol/http/index.ts";
import {
  LANGUAGES,
  LanguageSchema,
  type PartnerId,
  PartnerIdSchema,
} from "../../../shared/protocol/index.ts";
import { isOpenAt, nextOpening } from "../../hours/opening-hours.ts";
import type { HttpContext } from "../context.ts";
import { allowCrossOrigin } from "../security-headers.ts";
import { failure, json } from "../reply.ts";
import { defineRoute } from "../route.ts";

const Query = v.strictObject({ partner: PartnerIdSchema, language: v.optional(LanguageSchema) });
const HOLIDAY_WINDOW_MS = 60 * 86_400_000;

/**
 * What the survivor's frame needs before a chat: open or closed, hours, languages, the exit URL
 * and resources (verified referral entries only). Public and read cross-origin by the sandboxed frame (opaque origin), so CORS
 * `*` without credentials; `no-store` so no cache entry stays on the survivor's device.
 */
export function widgetConfigRoutes(router: Router, ctx: HttpContext): void {
  router.options("/api/widget/config", (_req, res) => {
    allowCrossOrigin(res);
    res.setHeader("Access-Control-Allow-Methods", "GET");
    res.setHeader("Access-Control-Max-Age", "600");
    res.status(204).end();
  });

  defineRoute(
    router,
    ctx,
    { method: "get", path: "/api/widget/config", access: "public", query: Query },
    async ({ query, res }) => {
      allowCrossOrigin(res);
      res.setHeader("Cache-Control", "no-store");
      const config = await widgetConfigFor(ctx, query.partner);
      if (!config) return failure("unknown-partner");
      return json(config);
    },
  );
}

/**
 * The configuration of an enabled partner, or null. Also written into the frame page itself
 * (server/pages/pages-router.ts), so the start screen does not wait for this request.
 */
export async function widgetConfigFor(ctx: HttpContext, partnerId: PartnerId): Promise<WidgetConfig | null> {
  const partner = await ctx.repos.partners.get(partnerId);
  if (!partner?.enabled) return null;
  const now = ctx.now();
  const hours = await ctx.repos.settings.openingHours();
  const open = isOpenAt(hours.schedule, hours.holidays, hours.timeZone, now);
  const today = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const until = new Date(now + HOLIDAY_WINDOW_MS).toISOString().slice(0, 10);
  // Every language's entries, so a survivor who switches language sees them in it at once.
  // An entry still marked for checking (the seeded placeholders, or a number nobody has
  // confirmed) never reaches a survivor: a wrong number in a crisis is worse than none.
  const referrals = (await ctx.repos.referrals.list()).filter((r) => !r.needsVerification);
  return {
    open,
    languages: [...LANGUAGES],
    defaultLanguage: partner.defaultLanguage,
    exitUrl: partner.exitUrl,
    timeZone: hours.timeZone,
    hours: hours.schedule as WidgetConfig["hours"],
    // A day of slack either side of UTC: the widget compares in the helpline's zone.
    holidays: hours.holidays.filter((h) => h.date >= today && h.date <= until),
    nextOpening: open ? null : nextOpening(hours.schedule, hours.holidays, hours.timeZone, now),
    resources: referrals.map((r) => ({ name: r.name, contact: r.contact, language: r.language })),
  };
}
