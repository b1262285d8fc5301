import type { Router } from "express";
import * as v from "valibot";
import { PartnerCreateSchema, PartnerUpdateSchema } from "../../../shared/protocol/http/index.ts";
import { PartnerIdSchema } from "../../../shared/protocol/index.ts";
import type { PartnerRecord } from "../../db/records.ts";
import type { DistFiles } from "../../pages/dist-files.ts";
import type { HttpContext } from "../context.ts";
import { failure, json, noContent } from "../reply.ts";
import { defineRoute } from "../route.ts";

const IdParams = v.strictObject({ id: PartnerIdSchema });

const view = (p: PartnerRecord) => ({
  id: p.id,
  name: p.name,
  allowedOrigins: p.allowedOrigins,
  exitUrl: p.exitUrl,
  defaultLanguage: p.defaultLanguage,
  enabled: p.enabled,
});

/** Partner sites: who may embed the frame (`frame-ancestors`), their exit URL and language. */
export function partnerRoutes(router: Router, ctx: HttpContext, dist: DistFiles): void {
  defineRoute(router, ctx, { method: "get", path: "/api/admin/partners", access: "admin" }, async () =>
    json({ partners: (await ctx.repos.partners.list()).map(view) }),
  );

  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/admin/partners", access: "admin", body: PartnerCreateSchema },
    async ({ body, staff }) => {
      const created = await ctx.repos.partners.create({ ...body, now: ctx.now() });
      if (!created.ok) return failure("partner-exists");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "partner-create",
        target: body.id,
      });
      return json(view(created.value), 201);
    },
  );

  defineRoute(
    router,
    ctx,
    {
      method: "put",
      path: "/api/admin/partners/:id",
      access: "admin",
      params: IdParams,
      body: PartnerUpdateSchema,
    },
    async ({ params, body, staff }) => {
      const updated = await ctx.repos.partners.update(params.id, body);
      if (!updated.ok) return failure("not-found");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "partner-update",
        target: params.id,
      });
      return json(view(updated.value));
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "delete", path: "/api/admin/partners/:id", access: "admin", params: IdParams },
    async ({ params, staff }) => {
      const removed = await ctx.repos.partners.remove(params.id);
      if (!removed.ok) return failure("not-found");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "partner-remove",
        target: params.id,
      });
      return noContent();
    },
  );

  defineRoute(router, ctx, { method: "get", path: "/api/admin/embed", access: "admin" }, async () => {
    const manifest = await dist.manifest();
    return json({
      loaderUrl: `${ctx.config.publicOrigin}${manifest?.loader ?? "/embed/v1/sahara.js"}`,
      integrity: manifest?.integrity ?? null,
    });
  });
}
