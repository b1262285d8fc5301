import { LANGUAGES, type PartnerId, type StaffId } from "../../shared/protocol/index.ts";
import { authenticateCookie, isCertified, isUsable, toPrincipal } from "./staff-session.ts";
import { isOpenAt } from "../hours/opening-hours.ts";
import type { HttpContext } from "../http/context.ts";
import type { RelayDeps } from "../relay/deps.ts";

/**
 * What the relay needs from accounts and configuration, built on the same session store and
 * repositories as the HTTP API: a staff socket is authenticated by the login cookie sent with
 * its handshake (SameSite=Strict, so another site cannot open a socket as a counselor).
 */
export function createRelayDeps(ctx: HttpContext): RelayDeps {
  return {
    logger: ctx.logger.child({ part: "relay" }),
    now: ctx.now,
    secret: ctx.secret,
    languages: LANGUAGES,
    trustProxy: ctx.config.trustProxy,
    async authenticateStaff(cookieHeader) {
      try {
        const staff = await authenticateCookie(
          cookieHeader,
          ctx.config.secureCookies,
          ctx.sessions,
          ctx.repos,
        );
        if (!staff) return null;
        return {
          principal: await toPrincipal(staff.record, ctx.repos, ctx.now()),
          loginId: staff.session.id,
          // The same check as the handshake's, so a disabled account or ended login answers false.
          renew: () =>
            authenticateCookie(cookieHeader, ctx.config.secureCookies, ctx.sessions, ctx.repos).then(
              (again) => again?.session.id === staff.session.id,
              () => true,
            ),
        };
      } catch {
        return null;
      }
    },
    async staffRefusal(id: StaffId) {
      const record = await ctx.repos.staff.findById(id);
      if (!isUsable(record)) return "revoked";
      if (
        record.identityPublicKey !== null &&
        (await ctx.repos.revocations.isRevoked(record.identityPublicKey))
      )
        return "revoked";
      return (await isCertified(record, ctx.repos, ctx.now())) ? null : "not-certified";
    },
    async isOpen(_partner: PartnerId, now: number) {
      const hours = await ctx.repos.settings.openingHours();
      return isOpenAt(hours.schedule, hours.holidays, hours.timeZone, now);
    },
    serviceStats(event) {
      // The hour is the event's, not the write's; the time zone is read as the wrap-ups read it.
      const at = ctx.now();
      ctx.repos.settings
        .get()
        .then(({ timeZone }) => ctx.repos.service.count(event, at, timeZone))
        .catch(() => ctx.logger.warn({ event: event.type }, "service figure not counted"));
    },
    async partnerExists(partner: PartnerId) {
      const record = await ctx.repos.partners.get(partner);
      return record?.enabled === true;
    },
  };
}
