import type { Router } from "express";
import {
  LoginRequestSchema,
  PasswordChangeRequestSchema,
  SaltRequestSchema,
  SetupRequestSchema,
} from "../../../shared/protocol/http/index.ts";
import { knownDevice, newDeviceCookie } from "../../auth/device-cookie.ts";
import { usernameSalt } from "../../auth/username-salt.ts";
import { createRequestBudget } from "../../auth/request-budget.ts";
import { dummyHash, hashAuthKey, verifyAuthKey } from "../../auth/password-hash.ts";
import { isUsable } from "../../auth/staff-session.ts";
import { endLogin } from "./cut-off.ts";
import type { HttpContext } from "../context.ts";
import { failure, json, noContent } from "../reply.ts";
import { defineRoute } from "../route.ts";
import { bytesOf, clearSessionCookie, sessionInfo, setSessionCookie } from "../session-info.ts";

/** Salt look-ups per client per minute: a console needs one per login or unlock. */
const SALTS_PER_MINUTE = 30;

/** First-run setup, salt look-up, login, logout and `me`. */
export function authRoutes(router: Router, ctx: HttpContext): void {
  const saltBudget = createRequestBudget(SALTS_PER_MINUTE, 60_000, ctx.now);
  defineRoute(router, ctx, { method: "get", path: "/api/setup", access: "public" }, async () =>
    json({ needed: (await ctx.repos.org.get()) === null }),
  );

  // Threat: whoever reaches a fresh install first becomes its admin. Setup needs the one-time
  // code printed at first start (server/auth/setup-code.ts); once done, this route is closed.
  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/setup", access: "public", body: SetupRequestSchema },
    async ({ body, res }) => {
      if ((await ctx.repos.org.get()) !== null) return failure("already-set-up");
      if (!ctx.setupCode.matches(body.setupCode)) return failure("invalid-setup-code");
      const { admin } = body;
      // The salt `POST /api/auth/salt` already answered for this username, and no other.
      if (admin.salt !== usernameSalt(ctx.secret, admin.username)) return failure("bad-request");
      const now = ctx.now();
      const result = await ctx.repos.org.setup({
        publicKey: body.orgPublicKey,
        admin: {
          username: admin.username,
          displayName: admin.displayName,
          salt: admin.salt,
          authHash: await hashAuthKey(bytesOf(admin.authKey), ctx.scryptCost),
          wrappedIdentityKey: admin.wrappedIdentityKey,
          identityPublicKey: admin.identityPublicKey,
        },
        wrappedOrgKey: admin.wrappedOrgKey,
        now,
      });
      if (!result.ok) return failure("already-set-up");
      ctx.setupCode.consume();
      const record = result.value.admin;
      await ctx.repos.audit.record({ at: now, actor: record.id, action: "org-setup", target: null });
      const { token, session } = await ctx.sessions.create(record.id);
      const info = await sessionInfo(ctx, record, session);
      if (!info) return failure("internal");
      setSessionCookie(ctx, res, token, session);
      res.append("Set-Cookie", newDeviceCookie(ctx.secret, record.username, ctx.config.secureCookies));
      return json(info, 201);
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/auth/salt", access: "public", body: SaltRequestSchema },
    async ({ body, req }) => {
      if (!saltBudget.take(ctx.limiter.clientKey(req.ip))) return failure("rate-limited");
      const record = await ctx.repos.staff.findByUsername(body.username);
      // Every username has one salt for ever (server/auth/username-salt.ts): the answer never
      // shows whether an account exists, nor when it was created or got a new password.
      return json({ salt: record?.salt ?? usernameSalt(ctx.secret, body.username) });
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/auth/login", access: "public", body: LoginRequestSchema },
    async ({ body, req, res }) => {
      if (ctx.closing()) return failure("unavailable");
      const secure = ctx.config.secureCookies;
      const attempt = {
        username: body.username,
        client: ctx.limiter.clientKey(req.ip),
        device: knownDevice(req.get("cookie"), ctx.secret, body.username, secure),
      };
      // Counted before the (slow) check, so parallel guesses cannot all get through.
      if (!(await ctx.limiter.begin(attempt))) return failure("locked-out");
      const record = await ctx.repos.staff.findByUsername(body.username);
      const usable = isUsable(record) && record.authHash !== null;
      // The hash is computed for unknown accounts too, so timing does not reveal which exist.
      const matches = await verifyAuthKey(
        bytesOf(body.authKey),
        usable && record.authHash ? record.authHash : dummyHash(ctx.scryptCost),
      );
      if (!usable || !matches) {
        if (await ctx.limiter.isLocked(body.username, attempt.client)) {
          await ctx.repos.audit.record({ at: ctx.now(), actor: null, action: "login-locked", target: null });
        }
        return failure("invalid-credentials");
      }
      await ctx.limiter.succeed(attempt);
      const { token, session } = await ctx.sessions.create(record.id);
      const info = await sessionInfo(ctx, record, session);
      if (!info) {
        await ctx.sessions.delete(token);
        return failure("not-set-up");
      }
      await ctx.repos.audit.record({ at: ctx.now(), actor: record.id, action: "login", target: null });
      setSessionCookie(ctx, res, token, session);
      // A fresh device cookie on every login (rotated, so an old copy ages out).
      res.append("Set-Cookie", newDeviceCookie(ctx.secret, record.username, secure));
      return json(info);
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "get", path: "/api/auth/me", access: "counselor" },
    async ({ staff }) => {
      const info = await sessionInfo(ctx, staff.record, staff.session);
      return info ? json(info) : failure("not-set-up");
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/auth/logout", access: "counselor" },
    async ({ staff, res }) => {
      await endLogin(ctx, staff.token);
      clearSessionCookie(ctx, res);
      // Logging out ends this person's relay connections too, unless another session is open.
      if ((await ctx.sessions.countFor(staff.record.id)) === 0) ctx.relay().disconnectStaff(staff.record.id);
      await ctx.repos.audit.record({ at: ctx.now(), actor: staff.record.id, action: "logout", target: null });
      return noContent();
    },
  );

  defineRoute(
    router,
    ctx,
    { method: "post", path: "/api/auth/password", access: "counselor", body: PasswordChangeRequestSchema },
    async ({ body, staff, req, res }) => {
      const { record } = staff;
      const attempt = {
        username: record.username,
        client: ctx.limiter.clientKey(req.ip),
        device: knownDevice(req.get("cookie"), ctx.secret, record.username, ctx.config.secureCookies),
      };
      if (!(await ctx.limiter.begin(attempt))) return failure("locked-out");
      if (!record.authHash || !(await verifyAuthKey(bytesOf(body.currentAuthKey), record.authHash))) {
        return failure("invalid-credentials");
      }
      await ctx.limiter.succeed(attempt);
      // An admin who holds a copy of the org key must re-wrap it under the new password, or it
      // would be lost; one still waiting for a copy (promoted, not yet shared) has none to send.
      const holdsOrgKey = record.role === "admin" && (await ctx.repos.org.getKeyCopy(record.id)) !== null;
      if (holdsOrgKey !== (body.wrappedOrgKey !== undefined)) return failure("bad-request");
      // A new password keeps the salt: a changed salt would show the re-keying to anyone polling.
      if (body.salt !== record.salt) return failure("bad-request");
      const changed = await ctx.repos.staff.changePassword(record.id, {
        salt: body.salt,
        authHash: await hashAuthKey(bytesOf(body.authKey), ctx.scryptCost),
        wrappedIdentityKey: body.wrappedIdentityKey,
      });
      if (!changed.ok) return failure("not-found");
      if (holdsOrgKey && body.wrappedOrgKey !== undefined) {
        await ctx.repos.org.putKeyCopy(record.id, body.wrappedOrgKey, ctx.now());
      }
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: record.id,
        action: "staff-password",
        target: record.id,
      });
      // Every session ends (another device, a stolen cookie, this very cookie), and so does every
      // socket opened with one; this browser gets a fresh session and its console reconnects.
      ctx.relay().disconnectLogins(await ctx.sessions.deleteStaff(record.id));
      const { token, session } = await ctx.sessions.create(record.id);
      setSessionCookie(ctx, res, token, session);
      const info = await sessionInfo(ctx, changed.value, session);
      return info ? json(info) : failure("internal");
    },
  );
}
