import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

/**
 * Builds the console (index.html, its script, styles and the crypto worker) into dist/console,
 * served under /console/. Run from the repository root: `vite build -c console/vite.config.ts`.
 * Nothing is inlined into the HTML (the page's CSP allows only 'self' scripts and styles), and
 * no asset becomes a data: URI.
 */
export default defineConfig({
  root: "console",
  base: "/console/",
  plugins: [preact()],
  build: {
    outDir: "../dist/console",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  worker: { format: "es" },
});
