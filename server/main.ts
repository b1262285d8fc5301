import { createServer, type Server } from "node:http";
import { loadConfig } from "./config.ts";
import { createRelay } from "./create-relay.ts";
import { createLogger } from "./log.ts";
import { createDemoApp } from "./pages/demo-app.ts";

/**
 * `npm start`: read the environment, open the database (migrations and first-run seed), serve
 * the helpline on PORT and the demo partner page on DEMO_PORT, and shut down gracefully.
 */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const parsed = loadConfig(process.env);
  if (!parsed.ok) {
    for (const problem of parsed.problems) process.stderr.write(`sahara: ${problem}\n`);
    process.exit(1);
  }
  const config = parsed.value;
  const logger = createLogger(config.logLevel);
  const instance = await createRelay(config, { logger });
  await listen(instance.httpServer, config.port, config.host);
  logger.info({ origin: config.publicOrigin, port: config.port }, "helpline listening");
  if (instance.setupCode !== null) {
    // Straight to the terminal, not through the logger (log lines may be shipped elsewhere).
    process.stdout.write(
      `\nsahara: first start. Open ${config.publicOrigin}/console/ and enter this setup code:\n\n` +
        `    ${instance.setupCode}\n\n(also in ${config.dataDir}/setup-code until setup is done)\n\n`,
    );
  }

  let metrics: Server | null = null;
  if (instance.metricsApp && config.metricsListen) {
    metrics = createServer(instance.metricsApp);
    await listen(metrics, config.metricsListen.port, config.metricsListen.host);
    logger.info({ port: config.metricsListen.port }, "metrics listening");
  }

  let demo: Server | null = null;
  if (config.demoPort !== 0) {
    demo = createServer(createDemoApp(config, instance.dist));
    await listen(demo, config.demoPort, config.host);
    logger.info({ port: config.demoPort }, "demo partner page listening");
  }
  if (!(await instance.dist.read("frame/index.html"))) {
    logger.warn("dist/ is missing: pages answer 503 until `npm run build` has run");
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // A second signal means "now".
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down: refusing new sessions, telling connected clients");
    const timer = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, 10_000);
    timer.unref();
    metrics?.close();
    metrics?.closeAllConnections();
    demo?.close();
    demo?.closeAllConnections();
    await instance.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  // Startup failures (unreachable database, port in use): a useful message, never a connection
  // string (driver messages can quote it).
  const e = error as { code?: unknown; name?: unknown; message?: unknown; port?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const message =
    e.name === "DatabaseConfigError"
      ? String(e.message)
      : code === "EADDRINUSE"
        ? `port ${String(e.port ?? "")} is already in use (set PORT or DEMO_PORT)`
        : ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "28P01", "3D000"].includes(code)
          ? `cannot reach the database (${code}): check DATABASE_URL`
          : `${String(e.name ?? "Error")}${code ? ` (${code})` : ""}`;
  process.stderr.write(`sahara: failed to start: ${message}\n`);
  process.exit(1);
});
