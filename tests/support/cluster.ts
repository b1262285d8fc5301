import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { root } from "./imports.ts";
import { TEST_ORIGIN, writeFakeDist } from "./http-server.ts";
import { postgresUrl } from "./services.ts";

export const HAPROXY = process.env.HAPROXY_PATH ?? "/usr/sbin/haproxy";
export const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? "/usr/bin/redis-server";

/**
 * A real deployment in miniature: three `server/main.ts` processes on 127.0.0.1, HAProxy in
 * front balancing WebSockets, PostgreSQL (a schema of its own) and a redis-server of its own on a
 * free port (so it can be restarted; the shared Redis is never touched).
 *
 * Test-only routing hint: a client sending `x-cluster-node: nK` is sent to node K while that node
 * is up; when it is down HAProxy ignores the rule and balances, as it does for everyone else.
 */
export type NodeName = "n1" | "n2" | "n3";
export const NODES: readonly NodeName[] = ["n1", "n2", "n3"];

type Proc = { child: ChildProcess; output: string; exited: Promise<number | null> };

export type Cluster = Readonly<{
  /** The public origin's address (HAProxy). */
  url: string;
  redisPort: number;
  redisCli: (...args: string[]) => Promise<string>;
  nodeUrl: (n: NodeName) => string;
  kill: (n: NodeName, signal: NodeJS.Signals) => Promise<number | null>;
  start: (n: NodeName) => Promise<void>;
  restartRedis: () => Promise<void>;
  output: (n: NodeName) => string;
  /** The pending setup code (every node derives the same one from the shared secret). */
  setupCode: () => string;
  stop: () => Promise<void>;
}>;

export function freePort(): Promise<number> {
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

function run(cmd: string, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(cmd, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const proc: Proc = {
    child,
    output: "",
    exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
  };
  const append = (d: unknown) => {
    proc.output = (proc.output + String(d)).slice(-20_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  return proc;
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ready = async (url: string) => (await fetch(`${url}/readyz`)).status === 200;

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), "sahara-cluster-"));
  writeFakeDist(join(dir, "dist"));
  const schema = `c_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const databaseUrl = `${postgresUrl}?options=-c%20search_path%3D${schema}`;

  const redisPort = await freePort();
  const startRedis = () =>
    run(REDIS_SERVER, [
      "--port",
      String(redisPort),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
    ]);
  let redis = startRedis();
  const redisCli = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const p = run("redis-cli", ["-p", String(redisPort), "--raw", ...args]);
      p.exited.then((code) => (code === 0 ? resolve(p.output) : reject(new Error(p.output))));
    });
  await until("redis", async () => (await redisCli("ping")).trim() === "PONG", 10_000);

  const ports = Object.fromEntries(
    await Promise.all(NODES.map(async (n) => [n, await freePort()])),
  ) as Record<NodeName, number>;
  const proxyPort = await freePort();
  const secret = randomBytes(32).toString("hex");
  const nodes = {} as Record<NodeName, Proc>;
  const nodeUrl = (n: NodeName) => `http://127.0.0.1:${ports[n]}`;
  const start = async (n: NodeName) => {
    nodes[n] = run(process.execPath, ["--import", "tsx", "server/main.ts"], {
      PORT: String(ports[n]),
      HOST: "127.0.0.1",
      DEMO_PORT: "0",
      PUBLIC_ORIGIN: TEST_ORIGIN,
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      SAHARA_SECRET: secret,
      SAHARA_DATA_DIR: join(dir, n),
      SAHARA_DIST_DIR: join(dir, "dist"),
      LOG_LEVEL: "warn",
    });
    await until(`node ${n}`, () => ready(nodeUrl(n)), 60_000);
  };
  // One at a time: all three compile the server with tsx, and migrations take the advisory lock.
  for (const n of NODES) await start(n);

  const cfg = join(dir, "haproxy.cfg");
  writeFileSync(
    cfg,
    [
      "global",
      "  maxconn 4000",
      "defaults",
      "  mode http",
      "  timeout connect 2s",
      "  timeout client 60s",
      "  timeout server 60s",
      "  timeout tunnel 1h",
      "  retries 3",
      "  option redispatch",
      "frontend public",
      `  bind 127.0.0.1:${proxyPort}`,
      "  default_backend relays",
      "backend relays",
      "  balance roundrobin",
      "  option httpchk GET /readyz",
      ...NODES.map((n) => `  use-server ${n} if { req.hdr(x-cluster-node) -m str ${n} }`),
      ...NODES.map((n) => `  server ${n} 127.0.0.1:${ports[n]} check inter 300 fall 1 rise 1`),
      "",
    ].join("\n"),
  );
  const proxy = run(HAPROXY, ["-f", cfg, "-db"]);
  const url = `http://127.0.0.1:${proxyPort}`;
  await until("haproxy", () => ready(url), 10_000);

  const kill = async (n: NodeName, signal: NodeJS.Signals) => {
    nodes[n].child.kill(signal);
    return nodes[n].exited;
  };

  return {
    url,
    redisPort,
    redisCli,
    nodeUrl,
    kill,
    start,
    output: (n) => nodes[n].output,
    setupCode: () => readFileSync(join(dir, "n1", "setup-code"), "utf8").trim(),
    restartRedis: async () => {
      redis.child.kill("SIGTERM");
      await redis.exited;
      redis = startRedis();
      await until("redis restart", async () => (await redisCli("ping")).trim() === "PONG", 10_000);
    },
    stop: async () => {
      for (const n of NODES) {
        nodes[n].child.kill("SIGKILL");
        await nodes[n].exited;
      }
      proxy.child.kill("SIGKILL");
      redis.child.kill("SIGKILL");
      await Promise.all([proxy.exited, redis.exited]);
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
