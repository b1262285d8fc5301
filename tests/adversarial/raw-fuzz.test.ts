import { loadavg } from "node:os";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDelay } from "../support/event-loop-delay.ts";
import { joinAsSurvivor } from "../support/relay-clients.ts";
import { type FuzzServer, startFuzzServer } from "../support/fuzz-server.ts";
import { TEST_ORIGIN } from "../support/http-server.ts";
import { fuzzRelay, HEALTHZ_TARGET_MS, healthzSummary } from "../support/relay-fuzzer.ts";

/**
 * Bounded fuzz run for CI (a few seconds): random and mutated socket.io / engine.io / msgpack
 * packets on both namespaces (the staff one logged in as an admin), over raw WebSocket and
 * long-polling, against the whole server in its own process. `npm run fuzz` runs the same for a
 * million inputs.
 */
const INPUTS = 1500;

let server: FuzzServer;
beforeAll(async () => {
  server = await startFuzzServer();
});
afterAll(async () => {
  await server.stop();
});

describe("raw packet fuzzing", () => {
  it("keeps the process up, memory bounded and /healthz answering throughout", async () => {
    const report = await fuzzRelay(
      { port: server.port, staffCookie: server.cookie, origin: TEST_ORIGIN, rssMb: server.rssMb },
      { seed: 20261204, inputs: INPUTS },
    );
    console.log(`relay fuzz: ${JSON.stringify(report)}`);
    console.log(`relay fuzz: ${healthzSummary(report)}`);
    const loop = await server.eventLoopDelay();
    console.log(
      `relay fuzz: server event loop ${formatDelay(loop)}; load average ${loadavg()[0]?.toFixed(1)}`,
    );
    expect(report.inputs).toBeGreaterThanOrEqual(INPUTS);
    expect(report.pollingInputs).toBeGreaterThan(0);
    expect(report.healthzProbes).toBeGreaterThan(10);
    expect(report.failedHealthz).toBe(0);
    // The target is /healthz within HEALTHZ_TARGET_MS (100 ms) throughout; `npm run fuzz`
    // holds it at the 99th percentile, on a quiet machine. On the shared 2-core CI machine
    // wall-clock latency measures the machine: at load average 14.7 one run saw a probe take
    // 1062 ms while the server's loop came 1087 ms late after only 77 ms of its own CPU, and an
    // idle process beside such runs (`npm run fuzz` prints it) comes up to 300-440 ms late.
    // So CI asserts what a blocked event loop (the failure the target is about) would break and
    // scheduling does not: most probes within the target (the median under it), and never more
    // than 500 ms of the server's own CPU between two ticks of its loop (the 1.4 s msgpack ext32
    // freeze spent it all on CPU). wire-lengths.test.ts measures each lying length directly.
    expect(report.p50HealthzMs).toBeLessThan(HEALTHZ_TARGET_MS);
    expect(loop.cpuMaxMs).toBeLessThan(500);
    expect(report.rssPeakMb - report.rssStartMb).toBeLessThan(200);
    expect(server.alive()).toBe(true);
    // And the relay still serves a survivor.
    const s = await joinAsSurvivor(`http://127.0.0.1:${server.port}`);
    expect(s.queued.position).toBeGreaterThan(0);
    (s.socket as Socket).close();
  });
});
