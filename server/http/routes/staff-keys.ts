import type { Router } from "express";
import * as v from "valibot";
import {
  CertifyRequestSchema,
  MAX_REVOCATIONS_BODY_BYTES,
  RevocationsRequestSchema,
} from "../../../shared/protocol/http/index.ts";
import { StaffIdSchema } from "../../../shared/protocol/index.ts";
import { checkCertificate, checkRevocationList } from "../../auth/certificate-check.ts";
import type { HttpContext } from "../context.ts";
import { failure, json, noContent } from "../reply.ts";
import { defineRoute } from "../route.ts";
import { bytesOf } from "../session-info.ts";
import { cutOff, revokedKeys } from "./cut-off.ts";
import { staffSummary } from "./staff-summary.ts";

const IdParams = v.strictObject({ id: StaffIdSchema });

/** Certificates and the revocation list, both checked against the org key before storing. */
export function staffKeyRoutes(router: Router, ctx: HttpContext): void {
  defineRoute(
    router,
    ctx,
    {
      method: "post",
      path: "/api/admin/staff/:id/certificate",
      access: "admin",
      params: IdParams,
      body: CertifyRequestSchema,
    },
    async ({ params, body, staff }) => {
      const [record, org] = await Promise.all([ctx.repos.staff.findById(params.id), ctx.repos.org.get()]);
      if (!record) return failure("not-found");
      if (!org) return failure("not-set-up");
      if (record.status !== "active" || !record.identityPublicKey) return failure("bad-certificate");
      if (await ctx.repos.revocations.isRevoked(record.identityPublicKey)) return failure("bad-certificate");
      const checked = checkCertificate(
        bytesOf(body.certificate),
        bytesOf(org.publicKey),
        {
          id: record.id,
          role: record.role,
          displayName: record.displayName,
          identityPublicKey: bytesOf(record.identityPublicKey),
        },
        ctx.now(),
      );
      if (!checked.ok) return failure("bad-certificate");
      const stored = await ctx.repos.staff.setCertificate(record.id, body.certificate, ctx.now());
      if (!stored.ok) return failure(stored.error === "not-found" ? "not-found" : "bad-certificate");
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "staff-certify",
        target: record.id,
      });
      // Reconnect with the new principal (now certified to take chats).
      ctx.relay().disconnectStaff(record.id);
      return json(staffSummary(stored.value, await revokedKeys(ctx)));
    },
  );

  defineRoute(
    router,
    ctx,
    {
      method: "post",
      path: "/api/admin/revocations",
      access: "admin",
      body: RevocationsRequestSchema,
      // Only the revocation list may be large; every other body is small.
      bodyLimit: MAX_REVOCATIONS_BODY_BYTES,
    },
    async ({ body, staff }) => {
      const org = await ctx.repos.org.get();
      if (!org) return failure("not-set-up");
      const checked = checkRevocationList(bytesOf(body.list), bytesOf(org.publicKey));
      if (!checked.ok) return failure("bad-revocation-list");
      const listed = checked.value.revokedKeys.map((k) => Buffer.from(k).toString("base64url"));
      const stored = await ctx.repos.revocations.store({
        list: body.list,
        issuedAt: checked.value.issuedAt,
        revokedKeys: listed,
        now: ctx.now(),
      });
      if (!stored.ok) return failure("bad-revocation-list");
      const revoked = new Set(stored.value.revokedKeys);
      for (const record of await ctx.repos.staff.list()) {
        if (record.identityPublicKey && revoked.has(record.identityPublicKey)) {
          await cutOff(ctx, record);
          await ctx.repos.audit.record({
            at: ctx.now(),
            actor: staff.record.id,
            action: "staff-revoke",
            target: record.id,
          });
        }
      }
      return noContent();
    },
  );

  defineRoute(router, ctx, { method: "get", path: "/api/revocations", access: "public" }, async ({ res }) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    res.setHeader("Cache-Control", "no-store");
    return json({ list: (await ctx.repos.revocations.current())?.list ?? null });
  });
}
