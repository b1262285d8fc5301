import { resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";

const root = resolve(import.meta.dirname, "frame");
const repo = resolve(import.meta.dirname, "..");

/**
 * The chat frame: dist/frame/index.html with assets under /frame/assets/. The only inline code
 * is the page's own bare <script> (the first paint's Hide, see index.html), the early fetch of
 * the relay and crypto chunks and the stylesheet, both added below, whose hashes the server puts
 * in the frame's CSP; everything else comes from 'self' (and blob: for the worker). The crypto
 * worker is emitted inline into its own lazily imported chunk; `build.manifest` lets
 * `npm run size` tell initial JavaScript from lazy chunks.
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

/**
 * The relay client's chunk (socket.io) and the crypto worker's (libsodium, the frame's largest
 * download) are fetched the moment the entry script has arrived, before the entry has even been
 * compiled and run (on a slow phone that left the link idle for up to a second), and not
 * alongside it: on a 400 kbit/s link two downloads share the bandwidth, and the entry, which the
 * start screen needs, would take twice as long. A small inline script (its hash is in the page's CSP, like the first paint's) watches
 * the page's resource timing for the entry and then adds a `modulepreload` link for each chunk;
 * the entry's own `import()`s find them in the module map (or fetch them themselves if the links
 * were never added).
 */
const EARLY_CHUNKS = ["/adapters/relay-socket.ts", "/worker/spawn.ts"];
function preloadAfterEntry(): Plugin {
  return {
    name: "sahara-preload-after-entry",
    apply: "build",
    enforce: "post",
    transformIndexHtml: {
      order: "post",
      handler(html, context) {
        const chunks = Object.values(context.bundle ?? {}).filter((output) => output.type === "chunk");
        const entry = chunks.find((chunk) => chunk.isEntry);
        // The relay client first (small, needed at the start screen), then the crypto worker.
        const early = EARLY_CHUNKS.map((source) =>
          chunks.find((chunk) => chunk.facadeModuleId?.endsWith(source)),
        );
        if (!entry || early.some((chunk) => !chunk))
          throw new Error("the frame build lacks its entry, relay client or crypto worker chunk");
        const hrefs = JSON.stringify(early.map((chunk) => `/frame/${chunk?.fileName}`));
        const script = `{const o=new PerformanceObserver((l)=>{if(!l.getEntries().some((e)=>e.name.endsWith("/frame/${entry.fileName}")))return;o.disconnect();for(const h of ${hrefs}){const k=document.createElement("link");k.rel="modulepreload";k.href=h;document.head.append(k)}});o.observe({type:"resource"})}`;
        return html.replace("</body>", () => `<script>${script}</script>\n  </body>`);
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [inlineStylesheet(), preloadAfterEntry()],
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
