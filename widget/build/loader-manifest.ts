import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "vite";

/**
 * Public paths the server serves; the console shows the snippet built from the manifest.
 * `LOADER_PATH` is the release-stable name (short cache, always the newest loader, for tags
 * without `integrity`); the snippet names the content-addressed copy, `/embed/sahara-<hash>.js`,
 * which never changes and is cached for a year, so an SRI-pinned tag keeps working and a new
 * release never meets a stale cached loader.
 */
export const LOADER_PATH = "/embed/v1/sahara.js";
export const FRAME_PATH = "/frame/";
export const HASHED_LOADER = /^sahara-[A-Za-z0-9_-]{16}\.js$/;

export type LoaderManifest = Readonly<{ loader: string; integrity: string; frame: string; stable: string }>;

export function sriHash(code: string | Uint8Array): string {
  return `sha384-${createHash("sha384").update(code).digest("base64")}`;
}

/** `sahara-<first 16 base64url characters of the SHA-384 of the bytes>.js`. */
export function hashedLoaderName(code: string | Uint8Array): string {
  return `sahara-${createHash("sha384").update(code).digest("base64url").slice(0, 16)}.js`;
}

export function embedSnippet(
  origin: string,
  loader: string,
  integrity: string,
  partner = "your-partner-id",
): string {
  return `<script async src="${origin}${loader}" integrity="${integrity}" crossorigin="anonymous" data-partner="${partner}"></script>`;
}

/**
 * Writes the content-addressed copy of the loader and dist/embed/manifest.json with its path and
 * Subresource Integrity hash, and prints the snippet partners paste. The hash is of the exact
 * bytes written, so a partner pinning it will refuse a loader that was altered on the server.
 * Earlier releases' `sahara-*.js` stay in dist/embed (the build does not empty it), so tags
 * pasted before a release keep loading the loader they pinned.
 */
export function loaderManifest(fileName: string): Plugin {
  return {
    name: "sahara-loader-manifest",
    apply: "build",
    writeBundle(output, bundle) {
      const chunk = bundle[fileName];
      if (chunk?.type !== "chunk" || !output.dir) throw new Error(`loader chunk ${fileName} missing`);
      const hashed = hashedLoaderName(chunk.code);
      writeFileSync(join(output.dir, hashed), chunk.code);
      const manifest: LoaderManifest = {
        loader: `/embed/${hashed}`,
        integrity: sriHash(chunk.code),
        frame: FRAME_PATH,
        stable: LOADER_PATH,
      };
      writeFileSync(join(output.dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      const origin = process.env.PUBLIC_ORIGIN ?? "http://localhost:8080";
      console.log(
        `\nLoader SRI: ${manifest.integrity}\nSnippet:\n${embedSnippet(origin, manifest.loader, manifest.integrity)}\n`,
      );
    },
  };
}
