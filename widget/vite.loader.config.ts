import { resolve } from "node:path";
import { defineConfig } from "vite";
import { loaderManifest } from "./build/loader-manifest.ts";

const root = resolve(import.meta.dirname, "..");
const fileName = "v1/sahara.js";

/**
 * The partner-page loader: one classic IIFE script (it must run from a plain `<script async>`
 * with SRI), no Preact, no crypto. Output: dist/embed/v1/sahara.js, its content-addressed copy
 * dist/embed/sahara-<hash>.js and dist/embed/manifest.json.
 */
export default defineConfig({
  root,
  publicDir: false,
  logLevel: "warn",
  build: {
    outDir: resolve(root, "dist/embed"),
    // Keep earlier releases' content-addressed loaders: partners' pinned tags still name them.
    emptyOutDir: false,
    target: "es2019",
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: resolve(import.meta.dirname, "loader/main.ts"),
      formats: ["iife"],
      name: "SaharaLoader",
      fileName: () => fileName,
    },
  },
  plugins: [loaderManifest(fileName)],
});
