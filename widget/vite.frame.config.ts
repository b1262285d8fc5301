import { readFileSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";
import { SODIUM_GLUE, SODIUM_WRAPPERS, stripSodiumWasm, verifyStrippedSodium } from "./build/sodium-strip.ts";

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
 * libsodium ships its WebAssembly as a base64 string inside libsodium.mjs (296 K characters,
 * 107 KB brotli, decoded on the phone's CPU before compiling). The frame build moves it into a
 * binary asset that the main thread fetches early and compiles while it downloads
 * (worker/spawn.ts), and makes the emscripten module call `Module.instantiateWasm`
 * (worker/sodium-wasm.ts) instead of decoding the string, passing it the promise's reject so
 * a failed load fails `ready`. The asset is libsodium's wasm without the functions the frame
 * never calls (build/sodium-strip.ts: 222 KB → 119 KB, 82 → 60 KB brotli), checked in Node
 * against the full library before it is emitted. The console (sumo build) and Node tests are
 * untouched. Every pattern must match exactly once, so a libsodium update that changes them
 * fails the build.
 */
const SODIUM_WASM_BASE64 = /\("([A-Za-z0-9+/]{100000,}={0,2})"\)/g;
const SODIUM_WASM_URL = "sahara:sodium-wasm-url";
const SODIUM_WASM_PLACEHOLDER = "__SAHARA_SODIUM_WASM_URL__";

function sodiumBase64(code: string): string {
  const found = [...code.matchAll(SODIUM_WASM_BASE64)];
  if (found.length !== 1 || !found[0]?.[1])
    throw new Error("libsodium.mjs: no single inlined WebAssembly string");
  return found[0][1];
}

function replaceOnce(code: string, from: string, to: string): string {
  const at = code.indexOf(from);
  if (at < 0 || code.indexOf(from, at + 1) >= 0) throw new Error(`libsodium.mjs: expected ${from} once`);
  return code.slice(0, at) + to + code.slice(at + from.length);
}

function sodiumWasm(): { main: Plugin; worker: Plugin; fileName: () => string } {
  const glue = readFileSync(SODIUM_GLUE, "utf8");
  const base64 = sodiumBase64(glue);
  let reference = "";
  let fileName = "";
  let transformed = false;
  const main: Plugin = {
    name: "sahara-sodium-wasm",
    apply: "build",
    async buildStart() {
      const stripped = stripSodiumWasm(
        new Uint8Array(Buffer.from(base64, "base64")),
        glue,
        readFileSync(SODIUM_WRAPPERS, "utf8"),
      );
      // Fails the build if a function the frame needs is missing or answers differently.
      await verifyStrippedSodium(stripped.wasm);
      reference = this.emitFile({ type: "asset", name: "libsodium.wasm", source: stripped.wasm });
    },
    resolveId(id) {
      return id === SODIUM_WASM_URL ? `\0${SODIUM_WASM_URL}` : null;
    },
    load(id) {
      return id === `\0${SODIUM_WASM_URL}`
        ? `export default ${JSON.stringify(SODIUM_WASM_PLACEHOLDER)};`
        : null;
    },
    renderChunk(code) {
      if (!code.includes(SODIUM_WASM_PLACEHOLDER)) return null;
      if (!transformed) throw new Error("the crypto worker's libsodium still inlines its WebAssembly");
      fileName = this.getFileName(reference);
      return { code: code.replaceAll(SODIUM_WASM_PLACEHOLDER, `/frame/${fileName}`), map: null };
    },
  };
  const hook = resolve(root, "worker/sodium-wasm.ts");
  const worker: Plugin = {
    name: "sahara-sodium-wasm-worker",
    transform(code, id) {
      if (!id.endsWith("/libsodium.mjs") || realpathSync(id) !== SODIUM_GLUE) return null;
      if (sodiumBase64(code) !== base64)
        throw new Error("libsodium.mjs: another WebAssembly than the emitted one");
      let out = code.replace(SODIUM_WASM_BASE64, '("")');
      out = replaceOnce(
        out,
        "async function A(A={}){",
        "async function A(A={}){A.instantiateWasm??=__saharaSodiumWasm;",
      );
      out = replaceOnce(
        out,
        "g.instantiateWasm(C,(g,C)=>{I(A(g))})",
        "g.instantiateWasm(C,(g,C)=>{I(A(g))},B)",
      );
      transformed = true;
      return {
        code: `import{instantiateSodiumWasm as __saharaSodiumWasm}from${JSON.stringify(hook)};${out}`,
        map: null,
      };
    },
  };
  return { main, worker, fileName: () => fileName };
}
const sodium = sodiumWasm();

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
const CATALOGUE_CHUNKS = [
  ["en", "/i18n/en.ts"],
  ["ur", "/i18n/ur.ts"],
] as const;
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
        const wasm = sodium.fileName();
        if (!wasm) throw new Error("the frame build lacks libsodium's WebAssembly");
        // Each chunk after the chunks it imports (valibot and the protocol's schemas are shared
        // by the relay client and the crypto worker), so none waits for its imports to be found.
        const ordered: string[] = [];
        const add = (fileName: string) => {
          const chunk = chunks.find((c) => c.fileName === fileName);
          if (ordered.includes(fileName) || chunk?.isEntry) return;
          for (const imported of chunk?.imports ?? []) add(imported);
          ordered.push(fileName);
        };
        for (const chunk of early) if (chunk) add(chunk.fileName);
        const hrefs = JSON.stringify(ordered.map((fileName) => `/frame/${fileName}`));
        // The words of the page's language (<html lang>, written by the server), at once: the
        // entry renders when they are here (i18n/catalogue.ts), and they are small.
        const catalogues = Object.fromEntries(
          CATALOGUE_CHUNKS.map(([language, source]) => {
            const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(source));
            if (!chunk) throw new Error(`the frame build lacks the ${language} catalogue's chunk`);
            return [language, `/frame/${chunk.fileName}`];
          }),
        );
        const words = `{const c=${JSON.stringify(catalogues)};const k=document.createElement("link");k.rel="modulepreload";k.href=c[document.documentElement.lang]||c.en;document.head.append(k)}`;
        // libsodium's WebAssembly last, as a `fetch` preload that spawn.ts's fetch() picks up.
        const script = `{const o=new PerformanceObserver((l)=>{if(!l.getEntries().some((e)=>e.name.endsWith("/frame/${entry.fileName}")))return;o.disconnect();for(const h of ${hrefs}){const k=document.createElement("link");k.rel="modulepreload";k.href=h;document.head.append(k)}const w=document.createElement("link");w.rel="preload";w.as="fetch";w.crossOrigin="anonymous";w.href="/frame/${wasm}";document.head.append(w)});o.observe({type:"resource"})}`;
        return html.replace("</body>", () => `<script>${words}${script}</script>\n  </body>`);
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [inlineStylesheet(), preloadAfterEntry(), sodium.main],
  base: "/frame/",
  publicDir: false,
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  worker: { format: "iife", plugins: () => [sodium.worker] },
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
