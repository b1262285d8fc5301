import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinAsSurvivor } from "../support/relay-clients.ts";
import { type FuzzServer, startFuzzServer } from "../support/fuzz-server.ts";
import { TEST_ORIGIN } from "../support/http-server.ts";
import { fuzzRelay } from "../support/relay-fuzzer.ts";

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
    expect(report.inputs).toBeGreaterThanOrEqual(INPUTS);
    expect(report.pollingInputs).toBeGreaterThan(0);
    expect(report.healthzProbes).toBeGreaterThan(10);
    expect(report.failedHealthz).toBe(0);
    // Every probe answered within its 1 s timeout. The 100 ms bound is checked by `npm run fuzz`
    // on a quiet machine: on the shared 2-core CI machine (load average near 18 when measured)
    // /healthz of an idle server took up to 152 ms (1 probe in 100), and under fuzzing 6 in 100
    // took 110-330 ms. A decoder that blocks shows as seconds here; wire-lengths.test.ts measures
    // the event loop directly.
    expect(report.worstHealthzMs).toBeLessThan(1000);
    expect(report.rssPeakMb - report.rssStartMb).toBeLessThan(200);
    expect(server.alive()).toBe(true);
    // And the relay still serves a survivor.
    const s = await joinAsSurvivor(`http://127.0.0.1:${server.port}`);
    expect(s.queued.position).toBeGreaterThan(0);
    (s.socket as Socket).close();
  });
});
