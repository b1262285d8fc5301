import type { Router } from "express";
import { EnrollRequestSchema } from "../../../shared/protocol/http/index.ts";
import { hashAuthKey } from "../../auth/password-hash.ts";
import { tokenHash } from "../../auth/tokens.ts";
import { usernameSalt } from "../../auth/username-salt.ts";
import type { HttpContext } from "../context.ts";
import { failure, json } from "../reply.ts";
import { defineRoute } from "../route.ts";
import { bytesOf } from "../session-info.ts";
import { revokedKeys } from "./cut-off.ts";

/** Enrollment with a one-time invite code, and the directory of certified colleagues. */
export function enrollmentRoutes(router: Router, ctx: HttpContext): void {
  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/enroll", access: "public", body: EnrollRequestSchema },
    async ({ body, req }) => {
      const attempt = { username: body.username, client: ctx.limiter.clientKey(req.ip), device: null };
      if (!(await ctx.limiter.begin(attempt))) return failure("locked-out");
      const now = ctx.now();
      const hash = tokenHash(body.inviteCode);
      const pending = await ctx.repos.staff.findByInvite(hash, now);
      if (!pending || pending.username !== body.username) {
        return failure("invalid-invite");
      }
      await ctx.limiter.succeed(attempt);
      // The salt `POST /api/auth/salt` answered before the account existed, and no other.
      if (body.salt !== usernameSalt(ctx.secret, body.username)) return failure("bad-request");
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

  defineRoute(router, ctx, { method: "get", path: "/api/staff/directory", access: "counselor" }, async () => {
    const [records, revoked] = await Promise.all([ctx.repos.staff.list(), revokedKeys(ctx)]);
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
}
