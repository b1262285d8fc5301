import { resolve } from "node:path";
import { defineConfig } from "vite";

const root = resolve(import.meta.dirname, "frame");
const repo = resolve(import.meta.dirname, "..");

/**
 * The chat frame: dist/frame/index.html with assets under /frame/assets/. The only inline code
 * is the page's own bare <script> (the first paint's Hide, see index.html), whose hash the server
 * puts in the frame's CSP; everything else comes from 'self' (and blob: for the worker). The crypto worker
 * is emitted inline into its own lazily imported chunk; `build.manifest` lets `npm run size`
 * tell initial JavaScript from lazy chunks.
 *
 * The worker is a classic script (`iife`): in Chromium a sandboxed, opaque-origin page cannot
 * start a *module* worker from a blob: URL (the module fetch fails its CORS check), while a
 * classic blob: worker runs, WebAssembly included.
 */
export default defineConfig({
  root,
  base: "/frame/",
  publicDir: false,
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  worker: { format: "iife" },
  build: {
    outDir: resolve(repo, "dist/frame"),
    emptyOutDir: true,
    target: "es2020",
    manifest: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
  },
});
