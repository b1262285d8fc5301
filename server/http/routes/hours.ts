import type { Router } from "express";
import { HoursSchema, SettingsSchema } from "../../../shared/protocol/http/index.ts";
import { isValidTimeZone } from "../../hours/schedule.ts";
import type { HttpContext } from "../context.ts";
import { failure, json } from "../reply.ts";
import { defineRoute } from "../route.ts";

/** Opening hours, holidays, time zone, and the default chat limit. */
export function hoursRoutes(router: Router, ctx: HttpContext): void {
  const current = async () => {
    const hours = await ctx.repos.settings.openingHours();
    return { timeZone: hours.timeZone, schedule: hours.schedule, holidays: hours.holidays };
  };

  defineRoute(router, ctx, { method: "get", path: "/api/admin/hours", access: "admin" }, async () =>
    json(await current()),
  );

  defineRoute(
    router,
    ctx,
    { method: "put", path: "/api/admin/hours", access: "admin", body: HoursSchema },
    async ({ body, staff }) => {
      if (!isValidTimeZone(body.timeZone)) return failure("bad-request");
      if (new Set(body.holidays.map((h) => h.date)).size !== body.holidays.length)
        return failure("bad-request");
      const at = ctx.now();
      const actor = staff.record.id;
      await ctx.repos.settings.update({ timeZone: body.timeZone, schedule: body.schedule });
      await ctx.repos.audit.record({ at, actor, action: "settings-update", target: "hours" });
      const wanted = new Set(body.holidays.map((h) => h.date));
      for (const old of await ctx.repos.settings.listHolidays()) {
        if (!wanted.has(old.date)) {
          await ctx.repos.settings.removeHoliday(old.date);
          await ctx.repos.audit.record({ at, actor, action: "holiday-remove", target: old.date });
        }
      }
      for (const holiday of body.holidays) {
        await ctx.repos.settings.putHoliday(holiday);
        await ctx.repos.audit.record({ at, actor, action: "holiday-put", target: holiday.date });
      }
      return json(await current());
    },
  );

  defineRoute(router, ctx, { method: "get", path: "/api/admin/settings", access: "admin" }, async () =>
    json({ chatLimit: (await ctx.repos.settings.get()).defaultChatLimit }),
  );

  defineRoute(
    router,
    ctx,
    { method: "put", path: "/api/admin/settings", access: "admin", body: SettingsSchema },
    async ({ body, staff }) => {
      const settings = await ctx.repos.settings.update({ defaultChatLimit: body.chatLimit });
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "settings-update",
        target: "chat-limit",
      });
      return json({ chatLimit: settings.defaultChatLimit });
    },
  );
}
