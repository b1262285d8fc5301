import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";

/**
 * Threat: a proxy nobody declared. With TRUST_PROXY unset, every request forwarded by a proxy has
 * the proxy's address, so the login limiter sees one client for the whole team and one attacker
 * locks everyone out. A start with an https PUBLIC_ORIGIN already refuses (server/config.ts);
 * here, the first request that carries a forwarding header while TRUST_PROXY is unset makes the
 * server say so in the log at error level, once, without the header's value (an address).
 * TRUST_PROXY=false, set explicitly, silences it: the operator chose.
 */
const FORWARDING_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"] as const;

export function proxyGuard(trustProxySet: boolean, logger: Logger, onSeen: () => void) {
  let warned = false;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!trustProxySet && FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined)) {
      onSeen();
      if (!warned) {
        warned = true;
        logger.error(
          "requests arrive through a proxy (forwarding headers) but TRUST_PROXY is unset: every client shares the proxy's address, so one attacker's failed logins can lock out the whole team. Set TRUST_PROXY to the number of proxies, or to false to keep this behaviour",
        );
      }
    }
    next();
  };
}
