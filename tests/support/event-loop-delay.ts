/**
 * Event-loop delay, to tell a process that blocks its own loop from a machine too busy to run
 * it: a fuzz run measures the server, the fuzzer itself, and an idle process beside them (what
 * the machine's load alone costs any process). A 10 ms timer is sampled: how late each tick came
 * (the delay, as perf_hooks' monitorEventLoopDelay measures it), and how much CPU time the
 * process used between two ticks. A tick 200 ms late after 200 ms of CPU is the process's own
 * work blocking its loop; after 5 ms of CPU, it is the machine that did not run it.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createHistogram } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

/** How late a 10 ms timer fired, and the CPU time used between two ticks: percentiles in ms. */
export type EventLoopDelay = Readonly<{
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  cpuP99Ms: number;
  cpuMaxMs: number;
}>;

const TICK_MS = 10;

/** Starts watching this process's loop; the function reads the figures so far. */
export function watchEventLoop(): () => EventLoopDelay {
  // Microseconds; a histogram keeps memory flat however long the run.
  const late = createHistogram();
  const cpu = createHistogram();
  let wall = performance.now();
  let used = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const total = process.cpuUsage();
    late.record(Math.max(1, Math.round((now - wall - TICK_MS) * 1000)));
    cpu.record(Math.max(1, total.user - used.user + total.system - used.system));
    wall = now;
    used = total;
  }, TICK_MS);
  timer.unref();
  const ms = (us: number) => us / 1000;
  return () => ({
    p50Ms: ms(late.percentile(50)),
    p99Ms: ms(late.percentile(99)),
    maxMs: ms(late.max),
    cpuP99Ms: ms(cpu.percentile(99)),
    cpuMaxMs: ms(cpu.max),
  });
}

/** In a forked child: answers every IPC message with its event-loop delay so far. */
export function answerEventLoopDelay(): void {
  const read = watchEventLoop();
  process.on("message", () => process.send?.(read()));
}

/** Asks a child that called answerEventLoopDelay for its figures. */
export function askEventLoopDelay(child: ChildProcess): Promise<EventLoopDelay> {
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve(m as EventLoopDelay));
    if (!child.connected || !child.send("event-loop-delay")) reject(new Error("the process is gone"));
  });
}

/** A process that does nothing but watch its own loop, for a baseline of the machine's load. */
export function startIdleProcess(): Readonly<{
  eventLoopDelay: () => Promise<EventLoopDelay>;
  stop: () => void;
}> {
  const child = fork(fileURLToPath(import.meta.url), ["idle"], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return { eventLoopDelay: () => askEventLoopDelay(child), stop: () => child.kill("SIGTERM") };
}

/** The figures as both fuzz runs print them. */
export function formatDelay(d: EventLoopDelay): string {
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  return (
    `late median ${f(d.p50Ms)}, p99 ${f(d.p99Ms)}, max ${f(d.maxMs)}; ` +
    `CPU between ticks p99 ${f(d.cpuP99Ms)}, max ${f(d.cpuMaxMs)}`
  );
}

if (process.argv[2] === "idle") {
  answerEventLoopDelay();
  // Kept alive by the IPC channel; the parent ends it.
}
