/**
 * Child-process entry for the fuzz runs: the whole server (startTestServer, SQLite in a temp
 * dir) with an admin logged in, so the fuzzer's own work does not share the server's event loop
 * and /healthz latency is the server's. Prints `{ port, cookie }` as one JSON line; stops on
 * SIGTERM.
 */
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { answerEventLoopDelay, askEventLoopDelay, type EventLoopDelay } from "./event-loop-delay.ts";
import { startTestServer } from "./http-server.ts";
import { setupOrg } from "./http-staff.ts";

export type FuzzServer = Readonly<{
  port: number;
  cookie: string;
  child: ChildProcess;
  /** Resident memory of the server process in MiB (from /proc). */
  rssMb: () => number;
  alive: () => boolean;
  /**
   * The server's own event-loop delay since it started: a server that blocked its loop shows a
   * delay as high as the slow /healthz answers; a machine too busy to run it shows the same
   * delay in an idle process beside it (tests/support/event-loop-delay.ts).
   */
  eventLoopDelay: () => Promise<EventLoopDelay>;
  stop: () => Promise<void>;
}>;

/** `cpuProfileDir`: the server writes a V8 CPU profile there when it stops (`--cpu-prof`). */
export async function startFuzzServer(
  options: Readonly<{ cpuProfileDir?: string }> = {},
): Promise<FuzzServer> {
  const profile = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = fork(fileURLToPath(import.meta.url), ["serve"], {
    execArgv: ["--import", "tsx", ...profile],
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
    eventLoopDelay: () => askEventLoopDelay(child),
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
  // From here: the start (compiling, migrating) is not what the run measures.
  answerEventLoopDelay();
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(server.url).port), cookie })}\n`);
  process.on("SIGTERM", () => {
    server.close().finally(() => process.exit(0));
  });
}
