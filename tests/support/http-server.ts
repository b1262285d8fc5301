import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pg from "pg";
import type { Config } from "../../server/config.ts";
import { createRelay, type RelayInstance, type RelayOverrides } from "../../server/create-relay.ts";
import { createLogger } from "../../server/log.ts";
import { postgresUrl } from "./services.ts";

/** The helpline origin tests send as `Origin` (requests themselves go to 127.0.0.1:port). */
export const TEST_ORIGIN = "http://helpline.test";
export const PARTNER_ORIGIN = "https://partner.example";

export const FRAME_HTML =
  '<!doctype html><html><head><meta name="sahara-org-key" content="%SAHARA_ORG_KEY%"><script type="module" src="/frame/assets/frame.js"></script></head><body></body></html>';
export const LOADER_JS = "(function(){/* loader */})();";

/** A stand-in for `npm run build` output, so page tests do not need a build. */
export function writeFakeDist(dir: string): void {
  mkdirSync(join(dir, "embed/v1"), { recursive: true });
  mkdirSync(join(dir, "frame/assets"), { recursive: true });
  mkdirSync(join(dir, "console/assets"), { recursive: true });
  writeFileSync(join(dir, "embed/v1/sahara.js"), LOADER_JS);
  writeFileSync(
    join(dir, "embed/manifest.json"),
    JSON.stringify({ loader: "/embed/v1/sahara.js", integrity: "sha384-testintegrity", frame: "/frame/" }),
  );
  writeFileSync(join(dir, "frame/index.html"), FRAME_HTML);
  writeFileSync(join(dir, "frame/assets/frame.js"), "console.log('frame');");
  writeFileSync(join(dir, "console/index.html"), "<!doctype html><title>console</title>");
  writeFileSync(join(dir, "console/assets/console.js"), "console.log('console');");
}

export type TestClock = { t: number };

export type TestServer = Readonly<{
  url: string;
  instance: RelayInstance;
  clock: TestClock;
  /** Every log line the server wrote, as raw JSON text. */
  logs: string[];
  dir: string;
  close: () => Promise<void>;
}>;

export type TestServerOptions = Readonly<{
  databaseUrl?: string;
  dist?: boolean;
  overrides?: RelayOverrides;
  config?: Partial<Config>;
  /** Start time (ms); default Monday 2026-11-30 11:00 in Karachi (open). */
  startAt?: number;
}>;

/** Monday 2026-11-30, 11:00 Asia/Karachi (06:00 UTC): inside the default 09:00-17:00 hours. */
export const OPEN_TIME = Date.UTC(2026, 10, 30, 6, 0);
/** Monday 2026-11-30, 23:00 Asia/Karachi: closed. */
export const CLOSED_TIME = Date.UTC(2026, 10, 30, 18, 0);

/** A real server (createRelay) listening on 127.0.0.1 port 0, SQLite in a temp dir by default. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "sahara-http-"));
  const distDir = join(dir, "dist");
  if (options.dist ?? true) writeFakeDist(distDir);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const clock: TestClock = { t: options.startAt ?? OPEN_TIME };
  const config: Config = {
    port: 0,
    host: "127.0.0.1",
    databaseUrl: options.databaseUrl ?? `sqlite:${join(dir, "sahara.db")}`,
    publicOrigin: TEST_ORIGIN,
    demoPort: 0,
    trustProxy: false,
    trustProxySet: false,
    metricsListen: null,
    secureCookies: false,
    logLevel: "info",
    secret: new Uint8Array(randomBytes(32)),
    dataDir: join(dir, "data"),
    distDir,
    ...options.config,
  };
  const instance = await createRelay(config, {
    now: () => clock.t,
    logger: createLogger("info", sink),
    scryptCost: { log2N: 10, r: 8, p: 1 },
    ...options.overrides,
  });
  await new Promise<void>((resolve) => instance.httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = instance.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    instance,
    clock,
    logs,
    dir,
    close: async () => {
      await instance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh PostgreSQL schema for one test file; drop it with the returned function. */
export async function postgresSchema(): Promise<Readonly<{ url: string; drop: () => Promise<void> }>> {
  const schema = `t_${randomBytes(8).toString("hex")}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  const separator = postgresUrl.includes("?") ? "&" : "?";
  return {
    url: `${postgresUrl}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: () => admin(`drop schema ${schema} cascade`),
  };
}
