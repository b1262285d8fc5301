import type { Router } from "express";
import * as v from "valibot";
import { CannedInputSchema, ItemIdSchema, ReferralInputSchema } from "../../../shared/protocol/http/index.ts";
import { LanguageSchema } from "../../../shared/protocol/index.ts";
import type { CannedResponse, Referral } from "../../db/records.ts";
import type { HttpContext } from "../context.ts";
import { failure, json, noContent } from "../reply.ts";
import { defineRoute } from "../route.ts";

const IdParams = v.strictObject({ id: ItemIdSchema });
const LanguageQuery = v.strictObject({ language: v.optional(LanguageSchema) });

const cannedView = (c: CannedResponse) => ({
  id: c.id,
  language: c.language,
  title: c.title,
  body: c.body,
  tags: c.tags,
});
const referralView = (r: Referral) => ({
  id: r.id,
  language: r.language,
  name: r.name,
  category: r.category,
  description: r.description,
  contact: r.contact,
  howToPrepare: r.howToPrepare,
  needsVerification: r.needsVerification,
});

/** Canned responses and the referral directory: read by any staff, edited by admins. */
export function directoryRoutes(router: Router, ctx: HttpContext): void {
  defineRoute(
    router,
    ctx,
    { method: "get", path: "/api/canned", access: "counselor", query: LanguageQuery },
    async ({ query }) => json({ responses: (await ctx.repos.canned.list(query.language)).map(cannedView) }),
  );
  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/admin/canned", access: "admin", body: CannedInputSchema },
    async ({ body, staff }) => {
      const created = await ctx.repos.canned.create({ ...body, now: ctx.now() });
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "canned-create",
        target: created.id,
      });
      return json(cannedView(created), 201);
    },
  );
  defineRoute(
    router,
    ctx,
    {
      method: "put",
      path: "/api/admin/canned/:id",
      access: "admin",
      params: IdParams,
      body: CannedInputSchema,
    },
    async ({ params, body, staff }) => {
      const updated = await ctx.repos.canned.update(params.id, body);
      if (!updated.ok) return failure("not-found");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "canned-update",
        target: params.id,
      });
      return json(cannedView(updated.value));
    },
  );
  defineRoute(
    router,
    ctx,
    { method: "delete", path: "/api/admin/canned/:id", access: "admin", params: IdParams },
    async ({ params, staff }) => {
      const removed = await ctx.repos.canned.remove(params.id);
      if (!removed.ok) return failure("not-found");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "canned-remove",
        target: params.id,
      });
      return noContent();
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "get", path: "/api/referrals", access: "counselor", query: LanguageQuery },
    async ({ query }) =>
      json({ referrals: (await ctx.repos.referrals.list(query.language)).map(referralView) }),
  );
  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/admin/referrals", access: "admin", body: ReferralInputSchema },
    async ({ body, staff }) => {
      const created = await ctx.repos.referrals.create({ ...body, now: ctx.now() });
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "referral-create",
        target: created.id,
      });
      return json(referralView(created), 201);
    },
  );
  defineRoute(
    router,
    ctx,
    {
      method: "put",
      path: "/api/admin/referrals/:id",
      access: "admin",
      params: IdParams,
      body: ReferralInputSchema,
    },
    async ({ params, body, staff }) => {
      const updated = await ctx.repos.referrals.update(params.id, body);
      if (!updated.ok) return failure("not-found");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "referral-update",
        target: params.id,
      });
      return json(referralView(updated.value));
    },
  );
  defineRoute(
    router,
    ctx,
    { method: "delete", path: "/api/admin/referrals/:id", access: "admin", params: IdParams },
    async ({ params, staff }) => {
      const removed = await ctx.repos.referrals.remove(params.id);
      if (!removed.ok) return failure("not-found");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "referral-remove",
        target: params.id,
      });
      return noContent();
    },
  );
}
