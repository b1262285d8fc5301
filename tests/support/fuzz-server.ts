/**
 * Child-process entry for the fuzz runs: the whole server (startTestServer, SQLite in a temp
 * dir) with an admin logged in, so the fuzzer's own work does not share the server's event loop
 * and /healthz latency is the server's. Prints `{ port, cookie }` as one JSON line; stops on
 * SIGTERM.
 */
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startTestServer } from "./http-server.ts";
import { setupOrg } from "./http-staff.ts";

export type FuzzServer = Readonly<{
  port: number;
  cookie: string;
  child: ChildProcess;
  /** Resident memory of the server process in MiB (from /proc). */
  rssMb: () => number;
  alive: () => boolean;
  stop: () => Promise<void>;
}>;

export async function startFuzzServer(): Promise<FuzzServer> {
  const child = fork(fileURLToPath(import.meta.url), ["serve"], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0] ?? "");
    });
    child.once("exit", () => reject(new Error("fuzz server exited")));
  });
  const { port, cookie } = JSON.parse(line) as { port: number; cookie: string };
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  return {
    port,
    cookie,
    child,
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    alive: () => !exited && child.exitCode === null,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

if (process.argv[2] === "serve") {
  const server = await startTestServer({ overrides: { relayOptions: { powDifficulty: 4 } } });
  const cookie = (await setupOrg(server, server.clock.t)).admin.cookie;
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(server.url).port), cookie })}\n`);
  process.on("SIGTERM", () => {
    server.close().finally(() => process.exit(0));
  });
}
