import type { Router } from "express";
import type { HttpContext } from "../context.ts";

/**
 * Liveness, readiness and Prometheus metrics. Counts only: no ids, partners or usernames.
 * Operators who do not want queue sizes public restrict `/metrics` at their proxy.
 */
export function healthRoutes(router: Router, ctx: HttpContext): void {
  router.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.type("text/plain").send("ok\n");
  });

  router.get("/readyz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const database = !ctx.closing() && (await ctx.pingDatabase());
    const ready = database && !ctx.closing();
    res.status(ready ? 200 : 503).json({ ready, database, relay: !ctx.closing() });
  });

  router.get("/metrics", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const relay = ctx.relay().counts();
    const body = ctx.metrics.render(relay, {
      sahara_staff_sessions: await ctx.sessions.size(),
      sahara_login_limiter_entries: await ctx.limiter.size(),
    });
    res.type("text/plain; version=0.0.4").send(body);
  });
}
