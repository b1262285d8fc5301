import type { Router } from "express";
import * as v from "valibot";
import { OrgKeyCopyRequestSchema, OrgKeyShareRequestSchema } from "../../../shared/protocol/http/index.ts";
import { StaffIdSchema } from "../../../shared/protocol/index.ts";
import { isCertified } from "../../auth/staff-session.ts";
import type { HttpContext } from "../context.ts";
import { putSealedOrgKey, readOrgKeyCopy } from "../org-key-copy.ts";
import { failure, json, noContent } from "../reply.ts";
import { defineRoute } from "../route.ts";
import { sessionInfo } from "../session-info.ts";

const IdParams = v.strictObject({ id: StaffIdSchema });

/**
 * Handing the org key to another admin (PROTOCOL.md "Staff keys"). The server only stores the
 * sealed blob and later the recipient's own wrapped copy; it can open neither. It checks who may
 * receive one so a sealed org key never waits on a counselor's, a disabled or an uncertified account.
 */
export function orgKeyRoutes(router: Router, ctx: HttpContext): void {
  defineRoute(
    router,
    ctx,
    {
      method: "post",
      path: "/api/admin/staff/:id/org-key",
      access: "admin",
      params: IdParams,
      body: OrgKeyShareRequestSchema,
    },
    async ({ params, body, staff }) => {
      const record = await ctx.repos.staff.findById(params.id);
      if (!record) return failure("not-found");
      if (!(await ctx.repos.org.get())) return failure("not-set-up");
      // The sharer must hold a wrapped copy itself: an admin still waiting for one has nothing to give.
      if ((await readOrgKeyCopy(ctx.repos, staff.record.id))?.type !== "wrapped") return failure("forbidden");
      if (
        record.id === staff.record.id ||
        record.role !== "admin" ||
        record.disabled ||
        record.status !== "active" ||
        !(await isCertified(record, ctx.repos, ctx.now()))
      ) {
        return failure("bad-request");
      }
      // Never overwrite a wrapped copy the admin already has with one it still has to open.
      if ((await readOrgKeyCopy(ctx.repos, record.id))?.type === "wrapped") return failure("bad-request");
      const stored = await putSealedOrgKey(ctx.repos, record.id, body.sealed, ctx.now());
      if (!stored.ok) return failure("not-found");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "org-key-copy",
        target: record.id,
      });
      return noContent();
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "put", path: "/api/auth/org-key", access: "admin", body: OrgKeyCopyRequestSchema },
    async ({ body, staff }) => {
      const { record, session } = staff;
      // Only to replace a pending sealed copy: an existing wrapped copy changes with the password.
      if ((await readOrgKeyCopy(ctx.repos, record.id))?.type !== "sealed") return failure("bad-request");
      const stored = await ctx.repos.org.putKeyCopy(record.id, body.wrappedOrgKey, ctx.now());
      if (!stored.ok) return failure("not-found");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: record.id,
        action: "org-key-copy",
        target: record.id,
      });
      const info = await sessionInfo(ctx, record, session);
      return info ? json(info) : failure("internal");
    },
  );
}
