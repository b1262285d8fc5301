import { resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";

const root = resolve(import.meta.dirname, "frame");
const repo = resolve(import.meta.dirname, "..");

/**
 * The chat frame: dist/frame/index.html with assets under /frame/assets/. The only inline code
 * is the page's own bare <script> (the first paint's Hide, see index.html) and its stylesheet,
 * inlined below, whose hashes the server puts in the frame's CSP; everything else comes from
 * 'self' (and blob: for the worker). The crypto worker
 * is emitted inline into its own lazily imported chunk; `build.manifest` lets `npm run size`
 * tell initial JavaScript from lazy chunks.
 *
 * The worker is a classic script (`iife`): in Chromium a sandboxed, opaque-origin page cannot
 * start a *module* worker from a blob: URL (the module fetch fails its CORS check), while a
 * classic blob: worker runs, WebAssembly included.
 */
/**
 * The frame's stylesheet goes into the page as a bare <style> (the server hashes it into the
 * frame's CSP, like the first paint's script): the first paint then needs the page alone, not a
 * second request (≈ 1 s on a 400 ms, 400 kbit/s phone network), and no stylesheet competes with
 * the entry script for the link. The file is dropped from the output.
 */
function inlineStylesheet(): Plugin {
  return {
    name: "sahara-inline-stylesheet",
    apply: "build",
    enforce: "post",
    transformIndexHtml: {
      order: "post",
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return html;
        return html.replace(
          /<link rel="stylesheet"[^>]*href="\/frame\/([^"]+\.css)"[^>]*>/g,
          (tag, file: string) => {
            const asset = bundle[file];
            if (asset?.type !== "asset") return tag;
            delete bundle[file];
            return `<style>${String(asset.source)}</style>`;
          },
        );
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [inlineStylesheet()],
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
