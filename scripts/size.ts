import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Bundle budgets (`npm run size`, after `npm run build`). Prints every bundle's raw and gzip
 * size and exits non-zero when a budget is exceeded:
 *   - the loader (runs on every partner page view): 5 KB gzip;
 *   - the frame's initial JavaScript, i.e. the entry chunk and its static imports as listed in
 *     Vite's manifest, plus the larger language catalogue (the entry renders once the page
 *     language's words are here; they come in a chunk of their own, fetched alongside it); lazily
 *     imported chunks excluded: the crypto worker with libsodium, and the relay client with
 *     socket.io, both fetched once the entry has arrived: 25 KB gzip, so the start screen shows
 *     quickly on slow 3G. (It was 44 KB, about 42.5 KB used, until the relay client moved to its
 *     own chunk, taking the entry to about 27 KB; 30 KB until only the page's language came with
 *     it and valibot left it, about 23 KB with Urdu.)
 * libsodium's WebAssembly is listed as a file of its own (the frame build moves it out of the
 * crypto worker's script, see widget/vite.frame.config.ts); it is lazy, like the worker.
 */
export const LOADER_BUDGET = 5 * 1024;
export const FRAME_INITIAL_BUDGET = 25 * 1024;

/** The frame's language catalogues, each a chunk of its own (widget/frame/i18n/catalogue.ts). */
export const CATALOGUE_SOURCES = ["i18n/en.ts", "i18n/ur.ts"] as const;

export type BundleSize = Readonly<{ file: string; raw: number; gzip: number }>;
export type SizeReport = Readonly<{
  bundles: readonly BundleSize[];
  loader: number;
  frameInitial: number;
  failures: readonly string[];
}>;

type ManifestChunk = Readonly<{
  file: string;
  isEntry?: boolean;
  imports?: readonly string[];
  css?: readonly string[];
}>;

const sizeOf = (path: string): { raw: number; gzip: number } => {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Files the browser fetches before the frame's first screen: entry chunks and their static imports. */
export function initialFrameFiles(manifest: Readonly<Record<string, ManifestChunk>>): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return [...seen].filter((file) => file.endsWith(".js"));
}

export function measure(dist: string): SizeReport {
  const failures: string[] = [];
  const loaderPath = join(dist, "embed/v1/sahara.js");
  const manifestPath = join(dist, "frame/.vite/manifest.json");
  if (!existsSync(loaderPath)) failures.push(`missing ${relative(dist, loaderPath)} (run npm run build)`);
  if (!existsSync(manifestPath)) failures.push(`missing ${relative(dist, manifestPath)} (run npm run build)`);
  if (failures.length > 0) return { bundles: [], loader: 0, frameInitial: 0, failures };

  const bundles = [...walk(join(dist, "embed")), ...walk(join(dist, "frame"))]
    .filter((path) => /\.(js|css|html|wasm)$/.test(path))
    .map((path) => ({ file: relative(dist, path), ...sizeOf(path) }));
  const loader = sizeOf(loaderPath).gzip;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, ManifestChunk>;
  const initial = initialFrameFiles(manifest);
  const catalogues = Object.entries(manifest)
    .filter(([key]) => CATALOGUE_SOURCES.some((source) => key.endsWith(source)))
    .map(([, chunk]) => sizeOf(join(dist, "frame", chunk.file)).gzip);
  if (catalogues.length !== CATALOGUE_SOURCES.length)
    failures.push("frame manifest lacks a language catalogue chunk");
  const frameInitial =
    initial.reduce((sum, file) => sum + sizeOf(join(dist, "frame", file)).gzip, 0) +
    Math.max(0, ...catalogues);
  if (initial.length === 0) failures.push("frame manifest lists no entry chunk");
  if (loader > LOADER_BUDGET) failures.push(`loader is ${loader} B gzip, budget ${LOADER_BUDGET} B`);
  if (frameInitial > FRAME_INITIAL_BUDGET)
    failures.push(`frame initial JS is ${frameInitial} B gzip, budget ${FRAME_INITIAL_BUDGET} B`);
  return { bundles, loader, frameInitial, failures };
}

function print(report: SizeReport): void {
  const pad = (value: string | number, width: number) => String(value).padStart(width);
  console.log(`${"file".padEnd(48)}${pad("raw B", 10)}${pad("gzip B", 10)}`);
  for (const b of report.bundles) console.log(`${b.file.padEnd(48)}${pad(b.raw, 10)}${pad(b.gzip, 10)}`);
  console.log(`\nloader:             ${report.loader} B gzip (budget ${LOADER_BUDGET})`);
  console.log(
    `frame initial JS:   ${report.frameInitial} B gzip (budget ${FRAME_INITIAL_BUDGET}; with the larger catalogue; crypto worker and relay client excluded)`,
  );
  for (const failure of report.failures) console.error(`OVER BUDGET: ${failure}`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("scripts/size.ts")) {
  const report = measure(resolve(import.meta.dirname, "../dist"));
  print(report);
  process.exit(report.failures.length > 0 ? 1 : 0);
}
