import type { Router } from "express";
import * as v from "valibot";
import { InviteRequestSchema, StaffUpdateSchema } from "../../../shared/protocol/http/index.ts";
import { LANGUAGES, type Language, StaffIdSchema } from "../../../shared/protocol/index.ts";
import { newToken, tokenHash } from "../../auth/tokens.ts";
import type { StaffRecord } from "../../db/records.ts";
import type { HttpContext } from "../context.ts";
import { failure, json } from "../reply.ts";
import { defineRoute } from "../route.ts";
import { cutOff, revokedKeys } from "./cut-off.ts";
import { readOrgKeyCopy } from "../org-key-copy.ts";
import { staffSummary } from "./staff-summary.ts";

const IdParams = v.strictObject({ id: StaffIdSchema });

/** Staff administration: list, invite (and renew an invite), role, name, chat limit, disable. */
export function staffAdminRoutes(router: Router, ctx: HttpContext): void {
  const summaryOf = async (record: StaffRecord) => staffSummary(record, await revokedKeys(ctx));

  defineRoute(router, ctx, { method: "get", path: "/api/admin/staff", access: "admin" }, async () => {
    const [records, revoked] = await Promise.all([ctx.repos.staff.list(), revokedKeys(ctx)]);
    const staff = await Promise.all(
      records.map(async (r) => {
        const copy = r.role === "admin" ? await readOrgKeyCopy(ctx.repos, r.id) : null;
        const summary = staffSummary(r, revoked);
        return copy
          ? { ...summary, orgKey: copy.type === "wrapped" ? ("held" as const) : ("pending" as const) }
          : summary;
      }),
    );
    return json({ staff });
  });

  const invite = async (
    actor: StaffRecord,
    existing: StaffRecord | null,
    body?: v.InferOutput<typeof InviteRequestSchema>,
  ) => {
    // The code is shown once; only its hash is stored.
    const code = newToken(24);
    const now = ctx.now();
    const expiresAt = now + ctx.inviteTtlMs;
    const result = existing
      ? await ctx.repos.staff.renewInvite(existing.id, tokenHash(code), expiresAt)
      : body
        ? await ctx.repos.staff.invite({
            ...body,
            inviteCodeHash: tokenHash(code),
            inviteExpiresAt: expiresAt,
            now,
          })
        : null;
    if (!result) return failure("bad-request");
    if (!result.ok) {
      return failure(
        result.error === "username-taken"
          ? "username-taken"
          : result.error === "not-found"
            ? "not-found"
            : "bad-request",
      );
    }
    await ctx.repos.audit.record({
      at: now,
      actor: actor.id,
      action: existing ? "staff-invite-renew" : "staff-invite",
      target: result.value.id,
    });
    return json({ staffId: result.value.id, inviteCode: code, expiresAt }, 201);
  };

  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/admin/staff", access: "admin", body: InviteRequestSchema },
    async ({ body, staff }) => invite(staff.record, null, body),
  );

  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/admin/staff/:id/invite", access: "admin", params: IdParams },
    async ({ params, staff }) => {
      const record = await ctx.repos.staff.findById(params.id);
      if (!record) return failure("not-found");
      return invite(staff.record, record);
    },
  );

  defineRoute(
    router,
    ctx,
    {
      method: "patch",
      path: "/api/admin/staff/:id",
      access: "admin",
      params: IdParams,
      body: StaffUpdateSchema,
    },
    async ({ params, body, staff }) => {
      let record = await ctx.repos.staff.findById(params.id);
      if (!record) return failure("not-found");
      const actor = staff.record.id;
      const at = ctx.now();
      // The certificate binds role and display name: changing either voids it until re-certified.
      let voidCertificate = false;
      if (body.role !== undefined && body.role !== record.role) {
        const r = await ctx.repos.staff.setRole(record.id, body.role);
        if (!r.ok) return failure(r.error);
        record = r.value;
        voidCertificate = true;
        await ctx.repos.audit.record({ at, actor, action: "staff-role", target: record.id });
      }
      if (body.displayName !== undefined && body.displayName !== record.displayName) {
        const r = await ctx.repos.staff.setDisplayName(record.id, body.displayName);
        if (!r.ok) return failure(r.error);
        record = r.value;
        voidCertificate = true;
      }
      if (body.chatLimit !== undefined && body.chatLimit !== record.chatLimit) {
        const r = await ctx.repos.staff.setChatLimit(record.id, body.chatLimit);
        if (!r.ok) return failure(r.error);
        record = r.value;
        await ctx.repos.audit.record({ at, actor, action: "staff-chat-limit", target: record.id });
      }
      if (body.languages !== undefined && !sameLanguages(body.languages, record.languages)) {
        const r = await ctx.repos.staff.setLanguages(record.id, body.languages);
        if (!r.ok) return failure(r.error);
        record = r.value;
        await ctx.repos.audit.record({ at, actor, action: "staff-languages", target: record.id });
        ctx.relay().setLanguages(record.id, record.languages ?? LANGUAGES);
      }
      if (body.disabled !== undefined && body.disabled !== record.disabled) {
        const r = await ctx.repos.staff.setDisabled(record.id, body.disabled);
        if (!r.ok) return failure(r.error);
        record = r.value;
        await ctx.repos.audit.record({
          at,
          actor,
          action: body.disabled ? "staff-disable" : "staff-enable",
          target: record.id,
        });
      }
      if (voidCertificate && record.certificate !== null) {
        const r = await ctx.repos.staff.clearCertificate(record.id);
        if (r.ok) record = r.value;
      }
      // A demoted or disabled admin keeps no copy of the org key (wrapped or still sealed).
      if (record.role !== "admin" || record.disabled) await ctx.repos.org.removeKeyCopy(record.id);
      if (record.disabled) await cutOff(ctx, record);
      // A new role or name needs a fresh relay principal; a chat limit applies from the next
      // connection (languages were handed to the relay above).
      else if (voidCertificate) ctx.relay().disconnectStaff(record.id);
      return json(await summaryOf(record));
    },
  );
}

/** Same set of languages (null: every language). */
function sameLanguages(a: readonly Language[] | null, b: readonly Language[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((l) => b.includes(l));
}
