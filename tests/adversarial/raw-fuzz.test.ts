import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    expect(report.inputs).toBeGreaterThanOrEqual(INPUTS);
    expect(report.pollingInputs).toBeGreaterThan(0);
    expect(report.healthzProbes).toBeGreaterThan(10);
    expect(report.failedHealthz).toBe(0);
    // The target is /healthz within HEALTHZ_TARGET_MS (100 ms) throughout; `npm run fuzz`
    // holds it at the 99th percentile, on a quiet machine. On the shared 2-core CI machine that
    // cannot hold: at load average 15-17 (other test files and builds beside it), three runs
    // measured median 35-64 ms, p99 286-357 ms, with 9 to 26 of 83-105 probes over 100 ms, none
    // failed. So CI asserts what a blocked event loop (the failure the target is about) would
    // break and scheduling noise does not: most probes within the target (the median under it)
    // and every probe answered within 1 s. wire-lengths.test.ts measures the event loop directly.
    expect(report.p50HealthzMs).toBeLessThan(HEALTHZ_TARGET_MS);
    expect(report.worstHealthzMs).toBeLessThan(1000);
    expect(report.rssPeakMb - report.rssStartMb).toBeLessThan(200);
    expect(server.alive()).toBe(true);
    // And the relay still serves a survivor.
    const s = await joinAsSurvivor(`http://127.0.0.1:${server.port}`);
    expect(s.queued.position).toBeGreaterThan(0);
    (s.socket as Socket).close();
  });
});
