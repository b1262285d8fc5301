import express, { Router } from "express";
import type { HttpContext } from "../context.ts";

/**
 * Liveness, readiness and Prometheus metrics. Counts only: no ids, partners or usernames.
 * With METRICS_PORT set, `/metrics` is served only by its own listener (`metricsApp`), so queue
 * sizes need not be public; otherwise operators restrict it at their proxy.
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

  if (ctx.config.metricsListen === null) metricsRoute(router, ctx);
}

/** The `/metrics` app for METRICS_HOST:METRICS_PORT: nothing else is reachable there. */
export function createMetricsApp(ctx: HttpContext): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    next();
  });
  const router = Router();
  metricsRoute(router, ctx);
  app.use(router);
  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });
  return app;
}

function metricsRoute(router: Router, ctx: HttpContext): void {
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
