import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * `npm run bench`: imports every bench/*.bench.ts in name order, runs its `run()`, and prints
 * one table. Timings are only meaningful next to a baseline measured in the same run (the
 * machine is shared and noisy), so rows carry the baseline and the ratio.
 *
 * A bench module exports `run(): Promise<readonly BenchRow[]>` (and may import `measure` from
 * here). Each module should keep to a few seconds: the whole run stays under ~30 s.
 * `npm run bench -- browser relay` runs only the modules whose file names contain those words.
 */
export type BenchRow = Readonly<{
  name: string;
  /** Microseconds per operation when unit is "µs/op"; ops/s is derived from it. */
  value: number;
  unit: string;
  baseline?: number;
  /** Target for `value` (same unit) and whether it was met. */
  target?: number;
}>;

export type BenchModule = Readonly<{ run: () => Promise<readonly BenchRow[]> }>;

/**
 * Runs `op` repeatedly for about `ms` milliseconds (after a short warm-up) and returns the
 * mean microseconds per operation.
 */
export function measure(op: () => void, ms = 600): number {
  const warmUntil = performance.now() + Math.min(100, ms / 4);
  while (performance.now() < warmUntil) op();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    op();
    ops++;
    now = performance.now();
  }
  return ((now - start) * 1000) / ops;
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? "-" : n.toFixed(digits));

export function formatRows(rows: readonly BenchRow[]): string {
  const header = ["name", "value", "unit", "ops/s", "baseline", "ratio", "target", "met"];
  const lines = rows.map((row) => [
    row.name,
    fmt(row.value),
    row.unit,
    row.unit === "µs/op" ? Math.round(1e6 / row.value).toString() : "-",
    fmt(row.baseline),
    row.baseline === undefined ? "-" : `${fmt(row.value / row.baseline)}x`,
    row.target === undefined ? "-" : `< ${row.target}`,
    row.target === undefined ? "-" : row.value < row.target ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  return [header, ...lines]
    .map((cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  "))
    .join("\n");
}

async function main(): Promise<void> {
  const dir = resolve(import.meta.dirname);
  // `npm run bench -- browser`: only the modules whose file name contains one of the words.
  const only = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".bench.ts"))
    .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
    .sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(resolve(dir, file)).href)) as BenchModule;
    const started = performance.now();
    // A module that prints its own output and returns nothing is tolerated.
    const result: unknown = await mod.run();
    if (Array.isArray(result)) rows.push(...(result as BenchRow[]));
    console.error(`${file}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(formatRows(rows));
  const missed = rows.filter((row) => row.target !== undefined && !(row.value < row.target));
  console.log(
    missed.length === 0 ? "\nall targets met" : `\ntargets missed: ${missed.map((r) => r.name).join(", ")}`,
  );
}

// No top-level await: bench modules import `measure` from this file, and a module still
// suspended in top-level await would deadlock their import.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
