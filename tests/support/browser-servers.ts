import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Config } from "../../server/config.ts";
import { createRelay, type RelayInstance, type RelayOverrides } from "../../server/create-relay.ts";
import type { WeeklySchedule } from "../../server/hours/schedule.ts";
import { createLogger } from "../../server/log.ts";
import type { PartnerId } from "../../shared/protocol/index.ts";
import { containsCanary } from "./browser-canary.ts";
import { type PartnerSite, startPartnerSite } from "./browser-partner.ts";
import { root } from "./imports.ts";

/**
 * The helpline (createRelay on 127.0.0.1, SQLite in a temp file, logs captured at trace level)
 * and a partner site on 127.0.0.2, for browser tests. Pages come from the repository's dist/
 * (`npm run build`, which CI runs before the tests).
 */
export type Helpline = Readonly<{
  origin: string;
  partner: PartnerSite;
  instance: RelayInstance;
  /** The server's data directory (its secret, and the setup code until setup is done). */
  dataDir: string;
  /** Every log line the server wrote, as raw JSON text. */
  logs: readonly string[];
  /** Opens (every day, all day) or closes (no hours) the helpline. */
  setOpen: (open: boolean) => Promise<void>;
  /** Files of the SQLite database (main file, WAL, journal) that exist now. */
  databaseFiles: () => string[];
  /** Whether the canary occurs in the logs or any database file. */
  serverHolds: (canary: string) => { logs: boolean; database: string[] };
  /**
   * Stops the helpline process as a restart would: `graceful` (what SIGTERM does: clients are
   * told, then disconnected) or `crash` (every connection simply drops, nobody is told). The
   * database and secret stay; `start` brings a new process up on the same origin.
   */
  stop: (how: "graceful" | "crash") => Promise<void>;
  /** A new process after `stop`: memory (logins, chats, queue) empty, database kept. */
  start: () => Promise<void>;
  close: () => Promise<void>;
}>;

/** The build under test: dist/, or SAHARA_DIST_DIR (as for the server) to try another build. */
export const DIST_DIR = process.env.SAHARA_DIST_DIR ?? join(root, "dist");

const ALL_DAY: WeeklySchedule = [
  [{ open: "00:00", close: "24:00" }],
  [{ open: "00:00", close: "24:00" }],
  [{ open: "00:00", close: "24:00" }],
  [{ open: "00:00", close: "24:00" }],
  [{ open: "00:00", close: "24:00" }],
  [{ open: "00:00", close: "24:00" }],
  [{ open: "00:00", close: "24:00" }],
];
const NEVER: WeeklySchedule = [[], [], [], [], [], [], []];

/** Fails with a clear message when the build the browser tests need is missing. */
export function requireBuild(...paths: readonly string[]): void {
  const missing = paths.filter((p) => !existsSync(join(DIST_DIR, p)));
  if (missing.length > 0) {
    throw new Error(`dist/ lacks ${missing.join(", ")}: run \`npm run build\` before the browser tests`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export type HelplineOptions = Readonly<{ overrides?: RelayOverrides; open?: boolean }>;

/**
 * The public origin must be known before createRelay (CSP, CSRF and the loader URL name it), so
 * a free port is picked first and then listened on; a lost race is retried.
 */
export async function startHelpline(options: HelplineOptions = {}): Promise<Helpline> {
  requireBuild("embed/manifest.json", "embed/v1/sahara.js", "frame/index.html");
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if ((error as { code?: string }).code !== "EADDRINUSE" || attempt >= 3) throw error;
    }
  }
}

async function startOnce(options: HelplineOptions): Promise<Helpline> {
  const dir = mkdtempSync(join(tmpdir(), "sahara-browser-server-"));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dbFile = join(dir, "sahara.db");
  const config: Config = {
    port,
    host: "127.0.0.1",
    databaseUrl: `sqlite:${dbFile}`,
    publicOrigin: origin,
    demoPort: 0,
    trustProxy: false,
    trustProxySet: false,
    metricsListen: null,
    secureCookies: false,
    logLevel: "trace",
    secret: new Uint8Array(randomBytes(32)),
    dataDir: join(dir, "data"),
    distDir: DIST_DIR,
  };
  const listen = async () => {
    const created = await createRelay(config, { logger: createLogger("trace", sink), ...options.overrides });
    try {
      await new Promise<void>((resolve, reject) => {
        created.httpServer.once("error", reject);
        created.httpServer.listen(port, "127.0.0.1", () => resolve());
      });
    } catch (error) {
      await created.close().catch(() => {});
      throw error;
    }
    return created;
  };
  let instance: RelayInstance;
  try {
    instance = await listen();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  const manifest = JSON.parse(readFileSync(join(DIST_DIR, "embed/manifest.json"), "utf8")) as {
    integrity: string;
  };
  const partner = await startPartnerSite(origin, manifest.integrity);
  const updated = await instance.repos.partners.update("demo" as PartnerId, {
    allowedOrigins: [partner.origin],
    exitUrl: partner.exitUrl,
  });
  if (!updated.ok) throw new Error("the seeded demo partner is missing");
  const setOpen = async (open: boolean) => {
    await instance.repos.settings.update({ schedule: open ? ALL_DAY : NEVER });
  };
  await setOpen(options.open ?? true);

  const databaseFiles = () => [dbFile, `${dbFile}-wal`, `${dbFile}-journal`].filter((f) => existsSync(f));
  return {
    origin,
    partner,
    get instance() {
      return instance;
    },
    dataDir: config.dataDir,
    logs,
    setOpen,
    databaseFiles,
    serverHolds: (canary) => ({
      logs: logs.some((line) => containsCanary(Buffer.from(line, "utf8"), canary)),
      database: databaseFiles().filter((f) => containsCanary(readFileSync(f), canary)),
    }),
    stop: async (how) => {
      if (how === "crash") {
        // Every engine connection drops at once, before the relay could tell anyone anything.
        const engine = instance.io.engine as unknown as { clients: Record<string, { close: () => void }> };
        for (const client of Object.values(engine.clients)) client.close();
      }
      await instance.close();
      stopped = true;
    },
    start: async () => {
      instance = await listen();
      stopped = false;
    },
    close: async () => {
      await partner.close();
      if (!stopped) await instance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
