import express, { type NextFunction, type Request, type Response, Router } from "express";
import { createPagesRouter } from "../pages/pages-router.ts";
import type { DistFiles } from "../pages/dist-files.ts";
import type { HttpContext } from "./context.ts";
import { sendError } from "./reply.ts";
import { requestLogger } from "./request-log.ts";
import { authRoutes } from "./routes/auth.ts";
import { directoryRoutes } from "./routes/directory.ts";
import { evidenceRoutes } from "./routes/evidence.ts";
import { healthRoutes } from "./routes/health.ts";
import { hoursRoutes } from "./routes/hours.ts";
import { partnerRoutes } from "./routes/partners.ts";
import { enrollmentRoutes } from "./routes/enrollment.ts";
import { staffAdminRoutes } from "./routes/staff-admin.ts";
import { orgKeyRoutes } from "./routes/org-key.ts";
import { staffKeyRoutes } from "./routes/staff-keys.ts";
import { statsRoutes } from "./routes/stats.ts";
import { widgetConfigRoutes } from "./routes/widget-config.ts";
import { MAX_REVOCATIONS_BODY_BYTES } from "../../shared/protocol/http/index.ts";
import { refuseDeclaredLength } from "./declared-length.ts";
import { proxyGuard } from "./proxy-guard.ts";
import { baseSecurityHeaders } from "./security-headers.ts";

/** The express app: API, pages and health. Creates nothing that listens. */
export function createHttpApp(ctx: HttpContext, dist: DistFiles): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("trust proxy", ctx.config.trustProxy);
  app.set("query parser", "simple");

  app.use(requestLogger(ctx.logger, ctx.metrics));
  app.use(proxyGuard(ctx.config.trustProxySet, ctx.logger, () => ctx.metrics.recordUndeclaredProxy()));
  // No route reads a body larger than the revocation list; refuse bigger declarations at once.
  app.use(refuseDeclaredLength(MAX_REVOCATIONS_BODY_BYTES));
  app.use(baseSecurityHeaders(ctx.config.publicOrigin.startsWith("https:")));
  app.use("/api", (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  // JSON bodies are read per route by defineRoute, after the access checks.

  const api = Router();
  healthRoutes(api, ctx);
  authRoutes(api, ctx);
  staffAdminRoutes(api, ctx);
  staffKeyRoutes(api, ctx);
  orgKeyRoutes(api, ctx);
  enrollmentRoutes(api, ctx);
  partnerRoutes(api, ctx, dist);
  hoursRoutes(api, ctx);
  directoryRoutes(api, ctx);
  statsRoutes(api, ctx);
  evidenceRoutes(api, ctx);
  widgetConfigRoutes(api, ctx);
  app.use(api);
  app.use(createPagesRouter(ctx, dist));

  app.use("/api", (_req, res) => sendError(res, "not-found"));
  app.use((_req: Request, res: Response) => {
    res.status(404).type("text/plain").send("Not found");
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = error as {
      type?: unknown;
      status?: unknown;
      name?: unknown;
      code?: unknown;
      message?: unknown;
    };
    const isApi = req.path.startsWith("/api/");
    if (e.type === "entity.too.large") return sendError(res, "payload-too-large");
    if (typeof e.status === "number" && e.status >= 400 && e.status < 500) {
      if (isApi) return sendError(res, e.status === 404 ? "not-found" : "bad-request");
      return void res
        .status(e.status)
        .type("text/plain")
        .send(e.status === 404 ? "Not found" : "Bad request");
    }
    // Name and code only: driver messages can quote values (pg's `detail`), which we never log.
    ctx.logger.error(
      { name: String(e.name ?? "Error"), code: typeof e.code === "string" ? e.code : undefined },
      "request failed",
    );
    if (res.headersSent) return;
    if (isApi) return sendError(res, "internal");
    res.status(500).type("text/plain").send("Internal error");
  });
  return app;
}
