import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRAME_INITIAL_BUDGET, initialFrameFiles, LOADER_BUDGET, measure } from "../../scripts/size.ts";
import { inlineHashes } from "../../server/pages/pages-router.ts";
import { REQUIRED_FUNCTIONS, REQUIRED_INTERNALS } from "../../shared/crypto/sodium.ts";
import {
  glueExportNames,
  knownAnswers,
  loadSodiumWith,
  SODIUM_GLUE,
  SODIUM_WRAPPERS,
  sodiumWasmFromGlue,
  stripSodiumWasm,
} from "../../widget/build/sodium-strip.ts";

/**
 * The widget's budgets and output layout, checked on `npm run build`'s output (CI builds before
 * testing). Without a dist/, the two widget builds run here into a temporary directory, so this
 * test never rewrites files a running server might be reading.
 */
const repo = resolve(import.meta.dirname, "../..");
let dist = join(repo, "dist");
let temporary: string | null = null;

beforeAll(async () => {
  if (existsSync(join(dist, "embed/v1/sahara.js")) && existsSync(join(dist, "frame/.vite/manifest.json")))
    return;
  temporary = mkdtempSync(join(tmpdir(), "sahara-widget-"));
  dist = temporary;
  await build({
    configFile: join(repo, "widget/vite.loader.config.ts"),
    build: { outDir: join(dist, "embed") },
  });
  await build({
    configFile: join(repo, "widget/vite.frame.config.ts"),
    build: { outDir: join(dist, "frame") },
  });
}, 240_000);

afterAll(() => {
  if (temporary) rmSync(temporary, { recursive: true, force: true });
});

describe("widget bundles", () => {
  it("stay within the loader and frame budgets", () => {
    const report = measure(dist);
    expect(report.failures).toEqual([]);
    expect(report.loader).toBeGreaterThan(0);
    expect(report.loader).toBeLessThanOrEqual(LOADER_BUDGET);
    expect(report.frameInitial).toBeGreaterThan(0);
    expect(report.frameInitial).toBeLessThanOrEqual(FRAME_INITIAL_BUDGET);
  });

  it("keep the crypto worker out of the frame's initial JavaScript", () => {
    const manifest = JSON.parse(readFileSync(join(dist, "frame/.vite/manifest.json"), "utf8"));
    const initial = initialFrameFiles(manifest);
    const lazy = Object.values(manifest as Record<string, { file: string; isDynamicEntry?: boolean }>)
      .filter((chunk) => chunk.isDynamicEntry)
      .map((chunk) => chunk.file);
    expect(lazy.length).toBeGreaterThan(0);
    for (const file of lazy) expect(initial).not.toContain(file);
    // libsodium lives in the lazy chunk only.
    const initialText = initial.map((file) => readFileSync(join(dist, "frame", file), "utf8")).join("");
    expect(initialText).not.toContain("crypto_secretstream");
    // Nor valibot (its schemas' vendor tag): the start screen's configuration is checked by
    // hand (adapters/widget-config-check.ts); the relay client and the crypto worker bring it.
    const valibot = /vendor:\s*["'`]valibot["'`]/;
    expect(initialText).not.toMatch(valibot);
    const assets = readdirSync(join(dist, "frame/assets")).filter((file) => file.endsWith(".js"));
    expect(assets.some((file) => valibot.test(readFileSync(join(dist, "frame/assets", file), "utf8")))).toBe(
      true,
    );
  });

  it("ship libsodium's WebAssembly as a binary asset the page fetches early, not as base64 in a script", () => {
    const assets = readdirSync(join(dist, "frame/assets"));
    const wasm = assets.filter((file) => file.endsWith(".wasm"));
    expect(wasm).toHaveLength(1);
    const bytes = readFileSync(join(dist, "frame/assets", wasm[0] ?? ""));
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    expect(bytes.length).toBeGreaterThan(100_000);
    // No script carries a module in base64 ("\0asm\1\0\0\0" is "AGFzbQEAAAA").
    for (const file of assets.filter((name) => name.endsWith(".js")))
      expect(readFileSync(join(dist, "frame/assets", file), "utf8")).not.toContain("AGFzbQEAAAA");
    // The page's early-fetch script asks for it, and the crypto worker's chunk fetches that URL.
    const href = `/frame/assets/${wasm[0]}`;
    expect(readFileSync(join(dist, "frame/index.html"), "utf8")).toContain(`"${href}"`);
    const spawn = assets.filter((file) => file.startsWith("spawn-") && file.endsWith(".js"));
    expect(spawn).toHaveLength(1);
    expect(readFileSync(join(dist, "frame/assets", spawn[0] ?? ""), "utf8")).toContain(href);
  });

  it("ship libsodium's WebAssembly without the functions the frame never calls, the rest answering like libsodium", async () => {
    const wasm = readdirSync(join(dist, "frame/assets")).filter((file) => file.endsWith(".wasm"));
    const bytes = new Uint8Array(readFileSync(join(dist, "frame/assets", wasm[0] ?? "")));
    const glue = readFileSync(SODIUM_GLUE, "utf8");
    const exportNames = glueExportNames(glue);
    const present = new Set(WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name));
    const has = (name: string) => present.has(exportNames.get(name) ?? "?");
    // Dropped: functions no part of the frame calls (libsodium's own has them all).
    const dropped = [
      "crypto_sign_open",
      "crypto_box_easy",
      "crypto_secretstream_xchacha20poly1305_init_push",
    ];
    const full = new Set(
      WebAssembly.Module.exports(new WebAssembly.Module(sodiumWasmFromGlue(glue))).map((e) => e.name),
    );
    for (const name of dropped) expect(full.has(exportNames.get(name) ?? "?")).toBe(true);
    expect(dropped.filter(has)).toEqual([]);
    expect(bytes.length).toBeLessThan(sodiumWasmFromGlue(glue).length * 0.6);
    // Kept: every function the frame calls, and what libsodium-wrappers' own self-test calls.
    const kept = [...REQUIRED_FUNCTIONS, "crypto_secretbox_easy", "crypto_secretbox_open_easy"].filter(
      (name) => name.startsWith("crypto_"),
    );
    expect(kept.filter((name) => !has(name))).toEqual([]);
    // The real glue and libsodium-wrappers on the built file, against the full library.
    const stripped = await loadSodiumWith(bytes);
    const reference = (await import("libsodium-wrappers")).default;
    await reference.ready;
    knownAnswers(stripped, reference);
    expect((stripped as unknown as Record<string, unknown>).crypto_sign_open).toBeUndefined();
  });

  it("fails the build's check when a function the frame needs was stripped", async () => {
    const glue = readFileSync(SODIUM_GLUE, "utf8");
    const tooFew = stripSodiumWasm(
      sodiumWasmFromGlue(glue),
      glue,
      readFileSync(SODIUM_WRAPPERS, "utf8"),
      REQUIRED_FUNCTIONS.filter((name) => name !== "crypto_box_seal_open"),
      REQUIRED_INTERNALS,
    );
    const reference = (await import("libsodium-wrappers")).default;
    await reference.ready;
    const stripped = await loadSodiumWith(tooFew.wasm);
    expect(() => knownAnswers(stripped, reference)).toThrow(/crypto_box_seal_open/);
  }, 60_000);

  it("carry each language's words in a chunk of their own, the page's language fetched at once", () => {
    const manifest = JSON.parse(readFileSync(join(dist, "frame/.vite/manifest.json"), "utf8")) as Record<
      string,
      { file: string; isEntry?: boolean }
    >;
    const chunks = Object.entries(manifest);
    const entry = chunks.find(([, chunk]) => chunk.isEntry)?.[1].file ?? "";
    const entryText = readFileSync(join(dist, "frame", entry), "utf8");
    const html = readFileSync(join(dist, "frame/index.html"), "utf8");
    for (const [language, words] of [
      ["en", "Opening hours"],
      ["ur", "اوقاتِ کار"],
    ] as const) {
      const file = chunks.find(([source]) => source.endsWith(`i18n/${language}.ts`))?.[1].file ?? "";
      expect(readFileSync(join(dist, "frame", file), "utf8")).toContain(words);
      expect(entryText).not.toContain(words);
      expect(html).toContain(`"${language}":"/frame/${file}"`);
    }
    expect(html).toContain("c[document.documentElement.lang]||c.en");
  });

  it("publishes the content-addressed loader and its integrity hash in the manifest", () => {
    const manifest = JSON.parse(readFileSync(join(dist, "embed/manifest.json"), "utf8"));
    const loader = readFileSync(join(dist, "embed/v1/sahara.js"));
    const digest = createHash("sha384").update(loader).digest();
    const hashed = `sahara-${digest.toString("base64url").slice(0, 16)}.js`;
    expect(manifest).toEqual({
      loader: `/embed/${hashed}`,
      integrity: `sha384-${digest.toString("base64")}`,
      frame: "/frame/",
      stable: "/embed/v1/sahara.js",
    });
    expect(readFileSync(join(dist, "embed", hashed))).toEqual(loader);
  });

  it("serves a frame page whose only inline code is bare <script>/<style>, hashed into its CSP", () => {
    const html = readFileSync(join(dist, "frame/index.html"), "utf8");
    expect(html).toContain('<meta name="sahara-org-key" content="%SAHARA_ORG_KEY%" />');
    expect(html).toMatch(/<script type="module" crossorigin src="\/frame\/assets\/[^"]+\.js"><\/script>/);
    // The first paint's Hide (index.html) and the crypto chunk's early fetch (the frame's Vite
    // config): inline scripts without attributes, so that inlineHashes (which the frame page's
    // CSP is built from) finds them; no inline handlers.
    const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inlineScripts).toEqual(["", ""]);
    expect(html).not.toMatch(/<style[^>]|\sstyle=|\son[a-z]+=/);
    const styles = html.match(/<style>/g)?.length ?? 0;
    expect(inlineHashes(html)).toMatchObject({ scripts: [expect.any(String), expect.any(String)] });
    expect(inlineHashes(html).styles).toHaveLength(styles);
  });

  it("fetches the relay and crypto chunks as soon as the entry script has arrived, not alongside it", () => {
    const html = readFileSync(join(dist, "frame/index.html"), "utf8");
    const manifest = JSON.parse(readFileSync(join(dist, "frame/.vite/manifest.json"), "utf8")) as Record<
      string,
      { file: string; isEntry?: boolean }
    >;
    const chunks = Object.entries(manifest);
    const entry = chunks.find(([, chunk]) => chunk.isEntry)?.[1].file;
    const crypto = chunks.find(([source]) => source.endsWith("worker/spawn.ts"))?.[1].file;
    const relay = chunks.find(([source]) => source.endsWith("adapters/relay-socket.ts"))?.[1].file;
    expect(entry).toBeDefined();
    expect(crypto).toBeDefined();
    expect(relay).toBeDefined();
    // Not a link the preload scanner would fetch at once, sharing the link with the entry.
    expect(html).not.toContain(`<link rel="modulepreload" href="/frame/${crypto}"`);
    const early = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)]
      .map((m) => m[1] ?? "")
      .find((text) => text.includes("PerformanceObserver"));
    expect(early).toContain(`"/frame/${entry}"`);
    expect(early).toContain(`"/frame/${crypto}"`);
    expect(early).toContain(`"/frame/${relay}"`);
    expect(early).toContain('"modulepreload"');
  });
});
