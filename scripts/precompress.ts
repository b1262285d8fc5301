import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/**
 * Last step of `npm run build`: writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip,
 * level 9) next to every built text asset in dist/, so the server sends compressed bytes without
 * spending CPU per request (server/pages/precompressed-files.ts). A variant that would not be
 * smaller is not written. Only build output: nothing here ever holds a secret or user input.
 */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|json|svg|wasm|txt|map)$/;

export type PrecompressReport = Readonly<{ files: number; raw: number; br: number; gzip: number }>;

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

export function precompressTree(dir: string): PrecompressReport {
  let files = 0;
  let raw = 0;
  let br = 0;
  let gzip = 0;
  for (const path of walk(dir)) {
    if (!COMPRESSIBLE.test(path)) continue;
    const bytes = readFileSync(path);
    const brotli = brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    const gz = gzipSync(bytes, { level: 9 });
    files++;
    raw += bytes.length;
    if (brotli.length < bytes.length) writeFileSync(`${path}.br`, brotli);
    if (gz.length < bytes.length) writeFileSync(`${path}.gz`, gz);
    br += Math.min(brotli.length, bytes.length);
    gzip += Math.min(gz.length, bytes.length);
  }
  return { files, raw, br, gzip };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? process.env.SAHARA_DIST_DIR ?? "dist");
  const r = precompressTree(dir);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`precompressed ${r.files} files: ${kb(r.raw)} raw, ${kb(r.gzip)} gzip, ${kb(r.br)} brotli`);
}
