import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root } from "../support/imports.ts";
import { writeFakeDist } from "../support/http-server.ts";

/** `server/main.ts` as `npm start` runs it (after the build): real process, real signals. */
const dir = mkdtempSync(join(tmpdir(), "sahara-main-"));
writeFakeDist(join(dir, "dist"));

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

type Run = Readonly<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }>;

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      SAHARA_DATA_DIR: join(dir, "data"),
      SAHARA_DIST_DIR: join(dir, "dist"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(run: Run, text: string, ms = 40_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!run.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}"; output: ${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("server/main.ts", () => {
  const running: Run[] = [];
  afterAll(() => {
    for (const run of running) run.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses bad configuration with clear messages and exit code 1", { timeout: 60_000 }, async () => {
    const run = start({ PORT: "abc", REDIS_URL: "memcached://127.0.0.1:6379" });
    running.push(run);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('sahara: PORT must be an integer 1-65535, got "abc"');
    expect(run.output()).toMatch(/sahara: REDIS_URL must be redis:\/\//);
  });

  // Two real start-ups (tsx compiles the server each time): generous on a busy machine.
  it("serves, keeps its secret across restarts, and stops cleanly on SIGTERM and SIGINT", {
    timeout: 120_000,
  }, async () => {
    const salts: string[] = [];
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const [port, demoPort] = [await freePort(), await freePort()];
      const origin = `http://127.0.0.1:${port}`;
      const run = start({
        PORT: String(port),
        DEMO_PORT: String(demoPort),
        PUBLIC_ORIGIN: origin,
        LOG_LEVEL: "info",
      });
      running.push(run);
      await waitFor(run, "demo partner page listening");
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      const demo = await (await fetch(`http://127.0.0.1:${demoPort}/demo/`)).text();
      expect(demo).toContain(`src="${origin}/embed/v1/sahara.js"`);
      const salt = await fetch(`${origin}/api/auth/salt`, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: JSON.stringify({ username: "nobody-here" }),
      });
      salts.push(((await salt.json()) as { salt: string }).salt);
      run.child.kill(signal);
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('"msg":"stopped"');
    }
    // A fake salt that changed on restart would reveal that the username does not exist.
    expect(salts[1]).toBe(salts[0]);
    expect(statSync(join(dir, "data", "secret")).mode & 0o777).toBe(0o600);
  });
});
