/**
 * `npm run fuzz`: the long raw-packet fuzz run (the CI run is tests/adversarial/raw-fuzz.test.ts).
 * The whole server runs in a child process; random and mutated socket.io / engine.io / msgpack
 * packets go to both namespaces over raw WebSocket and long-polling while /healthz is probed.
 *
 *   npm run fuzz                              # a million inputs
 *   FUZZ_INPUTS=50000 FUZZ_SEED=7 npm run fuzz
 */
import { startFuzzServer } from "../tests/support/fuzz-server.ts";
import { TEST_ORIGIN } from "../tests/support/http-server.ts";
import { fuzzRelay, HEALTHZ_TARGET_MS, healthzSummary } from "../tests/support/relay-fuzzer.ts";

const inputs = Number(process.env.FUZZ_INPUTS ?? "1000000");
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const server = await startFuzzServer();
const started = performance.now();
console.log(`fuzzing the relay: ${inputs} inputs, seed ${seed}`);
const report = await fuzzRelay(
  { port: server.port, staffCookie: server.cookie, origin: TEST_ORIGIN, rssMb: server.rssMb },
  {
    seed,
    inputs,
    onProgress: (r) =>
      console.log(
        `${r.inputs} inputs, ${r.connectionsOpened} connections, healthz worst ${r.worstHealthzMs.toFixed(0)} ms, rss ${r.rssPeakMb.toFixed(0)} MiB`,
      ),
  },
);
const alive = server.alive();
await server.stop();
console.log(JSON.stringify(report));
console.log(
  `${report.inputs} inputs in ${((performance.now() - started) / 1000).toFixed(0)} s; server ${alive ? "up" : "DOWN"}; ` +
    `rss ${report.rssStartMb.toFixed(0)} -> peak ${report.rssPeakMb.toFixed(0)} MiB`,
);
console.log(healthzSummary(report));
// The long run holds the target at the 99th percentile (a quiet machine is assumed).
const ok =
  alive &&
  report.failedHealthz === 0 &&
  report.p99HealthzMs < HEALTHZ_TARGET_MS &&
  report.rssPeakMb - report.rssStartMb < 200;
process.exit(ok ? 0 : 1);
