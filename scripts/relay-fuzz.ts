/**
 * `npm run fuzz`: the long raw-packet fuzz run (the CI run is tests/adversarial/raw-fuzz.test.ts).
 * The whole server runs in a child process; random and mutated socket.io / engine.io / msgpack
 * packets go to both namespaces over raw WebSocket and long-polling while /healthz is probed.
 * Beside the /healthz latency it prints three event-loop delays, to tell where slowness comes
 * from: the server's (it blocked its own loop), the fuzzer's (the probe itself answered late) and
 * an idle process's (the machine's load alone), with the load average.
 *
 *   npm run fuzz                              # a million inputs
 *   FUZZ_INPUTS=50000 FUZZ_SEED=7 npm run fuzz
 *   FUZZ_CPU_PROF_DIR=/tmp/prof npm run fuzz  # and a CPU profile of the server (open in DevTools)
 */
import { availableParallelism, loadavg } from "node:os";
import { formatDelay, startIdleProcess, watchEventLoop } from "../tests/support/event-loop-delay.ts";
import { startFuzzServer } from "../tests/support/fuzz-server.ts";
import { TEST_ORIGIN } from "../tests/support/http-server.ts";
import { fuzzRelay, HEALTHZ_TARGET_MS, healthzSummary } from "../tests/support/relay-fuzzer.ts";

const inputs = Number(process.env.FUZZ_INPUTS ?? "1000000");
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const cpuProfileDir = process.env.FUZZ_CPU_PROF_DIR;
const server = await startFuzzServer(cpuProfileDir ? { cpuProfileDir } : {});
const idle = startIdleProcess();
const fuzzerDelay = watchEventLoop();
const load = () => loadavg()[0] ?? 0;
const loadAtStart = load();
let loadPeak = loadAtStart;
const started = performance.now();
console.log(`fuzzing the relay: ${inputs} inputs, seed ${seed}`);
const report = await fuzzRelay(
  { port: server.port, staffCookie: server.cookie, origin: TEST_ORIGIN, rssMb: server.rssMb },
  {
    seed,
    inputs,
    onProgress: (r) => {
      loadPeak = Math.max(loadPeak, load());
      console.log(
        `${r.inputs} inputs, ${r.connectionsOpened} connections, healthz worst ${r.worstHealthzMs.toFixed(0)} ms, rss ${r.rssPeakMb.toFixed(0)} MiB`,
      );
    },
  },
);
const alive = server.alive();
const serverDelay = alive ? await server.eventLoopDelay() : null;
const idleDelay = await idle.eventLoopDelay();
idle.stop();
await server.stop();
console.log(JSON.stringify(report));
console.log(
  `${report.inputs} inputs in ${((performance.now() - started) / 1000).toFixed(0)} s; server ${alive ? "up" : "DOWN"}; ` +
    `rss ${report.rssStartMb.toFixed(0)} -> peak ${report.rssPeakMb.toFixed(0)} MiB`,
);
console.log(healthzSummary(report));
// A server delay near the slow probes, well above the idle one: the server blocked. All three
// alike: the machine did not run them (compare the load with the cores).
console.log(`event-loop delay, server: ${serverDelay ? formatDelay(serverDelay) : "unknown (server down)"}`);
console.log(`event-loop delay, fuzzer: ${formatDelay(fuzzerDelay())}`);
console.log(`event-loop delay, idle process: ${formatDelay(idleDelay)}`);
console.log(
  `load average (1 min): ${loadAtStart.toFixed(1)} at start, ${loadPeak.toFixed(1)} peak, ${load().toFixed(1)} at end, on ${availableParallelism()} cores`,
);
// The long run holds the target at the 99th percentile (a quiet machine is assumed).
const ok =
  alive &&
  report.failedHealthz === 0 &&
  report.p99HealthzMs < HEALTHZ_TARGET_MS &&
  report.rssPeakMb - report.rssStartMb < 200;
process.exit(ok ? 0 : 1);
