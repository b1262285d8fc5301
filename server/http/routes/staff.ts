import type { Router } from "express";
import * as v from "valibot";
import {
  CertifyRequestSchema,
  EnrollRequestSchema,
  InviteRequestSchema,
  RevocationsRequestSchema,
  StaffUpdateSchema,
} from "../../../shared/protocol/http/index.ts";
import { StaffIdSchema } from "../../../shared/protocol/index.ts";
import { checkCertificate, checkRevocationList } from "../../auth/certificate-check.ts";
import { hashAuthKey } from "../../auth/password-hash.ts";
import { newToken, tokenHash } from "../../auth/tokens.ts";
import type { StaffRecord } from "../../db/records.ts";
import type { HttpContext } from "../context.ts";
import { failure, json, noContent } from "../reply.ts";
import { defineRoute } from "../route.ts";
import { bytesOf } from "../session-info.ts";
import { staffSummary } from "./staff-summary.ts";

const IdParams = v.strictObject({ id: StaffIdSchema });

/** Staff administration (invite, enroll, certify, revoke, role, disable) and the directory. */
export function staffRoutes(router: Router, ctx: HttpContext): void {
  const revokedSet = async () => new Set((await ctx.repos.revocations.current())?.revokedKeys ?? []);
  const summary = async (record: StaffRecord) => staffSummary(record, await revokedSet());
  /** Ends a member's sessions and relay connections (disabled, revoked, role changed). */
  const cutOff = (record: StaffRecord) => {
    ctx.sessions.deleteStaff(record.id);
    ctx.relay().disconnectStaff(record.id);
  };

  defineRoute(router, ctx, { method: "get", path: "/api/admin/staff", access: "admin" }, async () => {
    const [records, revoked] = await Promise.all([ctx.repos.staff.list(), revokedSet()]);
    return json({ staff: records.map((r) => staffSummary(r, revoked)) });
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
    { method: "post", path: "/api/enroll", access: "public", body: EnrollRequestSchema },
    async ({ body, req }) => {
      const client = ctx.limiter.clientKey(req.ip);
      if (ctx.limiter.isLocked(body.username, client)) return failure("locked-out");
      const now = ctx.now();
      const hash = tokenHash(body.inviteCode);
      const pending = await ctx.repos.staff.findByInvite(hash, now);
      if (!pending || pending.username !== body.username) {
        ctx.limiter.recordFailure(body.username, client);
        return failure("invalid-invite");
      }
      const result = await ctx.repos.staff.completeEnrollment(
        hash,
        {
          salt: body.salt,
          authHash: await hashAuthKey(bytesOf(body.authKey), ctx.scryptCost),
          wrappedIdentityKey: body.wrappedIdentityKey,
          identityPublicKey: body.identityPublicKey,
        },
        now,
      );
      if (!result.ok) return failure("invalid-invite");
      await ctx.repos.audit.record({
        at: now,
        actor: result.value.id,
        action: "staff-enroll",
        target: result.value.id,
      });
      return json({ staffId: result.value.id });
    },
  );

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
      return json(await summary(stored.value));
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/admin/revocations", access: "admin", body: RevocationsRequestSchema },
    async ({ body, staff }) => {
      const org = await ctx.repos.org.get();
      if (!org) return failure("not-set-up");
      const checked = checkRevocationList(bytesOf(body.list), bytesOf(org.publicKey));
      if (!checked.ok) return failure("bad-revocation-list");
      const revokedKeys = checked.value.revokedKeys.map((k) => Buffer.from(k).toString("base64url"));
      const stored = await ctx.repos.revocations.store({
        list: body.list,
        issuedAt: checked.value.issuedAt,
        revokedKeys,
        now: ctx.now(),
      });
      if (!stored.ok) return failure("bad-revocation-list");
      const revoked = new Set(stored.value.revokedKeys);
      for (const record of await ctx.repos.staff.list()) {
        if (record.identityPublicKey && revoked.has(record.identityPublicKey)) {
          cutOff(record);
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
      if (record.disabled) cutOff(record);
      // A new role or name needs a fresh relay principal; a chat limit applies from the next connection.
      else if (voidCertificate) ctx.relay().disconnectStaff(record.id);
      return json(await summary(record));
    },
  );

  defineRoute(router, ctx, { method: "get", path: "/api/staff/directory", access: "counselor" }, async () => {
    const [records, revoked] = await Promise.all([ctx.repos.staff.list(), revokedSet()]);
    const staff = records
      .filter(
        (r) => r.status === "active" && !r.disabled && r.certificate !== null && r.identityPublicKey !== null,
      )
      .filter((r) => r.identityPublicKey !== null && !revoked.has(r.identityPublicKey))
      .map((r) => ({
        id: r.id,
        displayName: r.displayName,
        role: r.role,
        identityPublicKey: r.identityPublicKey as string,
        certificate: r.certificate as string,
      }));
    return json({ staff });
  });

  defineRoute(router, ctx, { method: "get", path: "/api/revocations", access: "public" }, async ({ res }) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    res.setHeader("Cache-Control", "no-store");
    return json({ list: (await ctx.repos.revocations.current())?.list ?? null });
  });
}
