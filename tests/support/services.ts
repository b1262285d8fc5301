import { existsSync } from "node:fs";
import { connect } from "node:net";

/**
 * Tests that need Chromium, PostgreSQL or Redis call these. On a developer's machine a missing
 * service skips the suite with a loud message; under SAHARA_REQUIRE_SERVICES=1 (set by .ci/run)
 * a missing service is a failure, so CI always runs them.
 */
export const servicesRequired = process.env.SAHARA_REQUIRE_SERVICES === "1";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function tcpReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export type Service = "chromium" | "postgres" | "redis";

export const postgresUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export async function serviceAvailable(service: Service): Promise<boolean> {
  switch (service) {
    case "chromium":
      return existsSync(chromiumPath);
    case "postgres":
      return tcpReachable("127.0.0.1", 5432);
    case "redis":
      return tcpReachable("127.0.0.1", 6379);
    default: {
      const never: never = service;
      throw new Error(`unknown service ${String(never)}`);
    }
  }
}

/**
 * Returns true when the suite should run. Use as
 * `const run = await needService("postgres"); describe.runIf(run)(...)`.
 * Throws (failing the file) when the service is missing and services are required.
 */
export async function needService(service: Service): Promise<boolean> {
  const ok = await serviceAvailable(service);
  if (ok) return true;
  const message = `${service} is not available: its tests are SKIPPED on this machine`;
  if (servicesRequired) throw new Error(`${message} — but SAHARA_REQUIRE_SERVICES=1 requires it`);
  console.warn(`\n${"!".repeat(72)}\n!!! ${message}\n${"!".repeat(72)}\n`);
  return false;
}
