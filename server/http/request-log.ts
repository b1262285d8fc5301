import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import type { HttpMetrics } from "./metrics.ts";

/**
 * Request logging: method, route pattern, status and duration only. The path is never logged
 * (it can carry ids, e.g. `/api/admin/staff/:id`), nor any header, address, query or body.
 */
export function routePattern(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === "string") return `${req.baseUrl}${route.path}`;
  const tagged = (req.res?.locals as { route?: unknown } | undefined)?.route;
  return typeof tagged === "string" ? tagged : "unmatched";
}

export function requestLogger(logger: Logger, metrics: HttpMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const route = routePattern(req);
      metrics.recordRequest(route, res.statusCode);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.info(
        { method: req.method, route, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        "http",
      );
    });
    next();
  };
}
