import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "vite";

/** Public paths the server serves; the console shows the snippet built from the manifest. */
export const LOADER_PATH = "/embed/v1/sahara.js";
export const FRAME_PATH = "/frame/";

export type LoaderManifest = Readonly<{ loader: string; integrity: string; frame: string }>;

export function sriHash(code: string | Uint8Array): string {
  return `sha384-${createHash("sha384").update(code).digest("base64")}`;
}

export function embedSnippet(origin: string, integrity: string, partner = "your-partner-id"): string {
  return `<script async src="${origin}${LOADER_PATH}" integrity="${integrity}" crossorigin="anonymous" data-partner="${partner}"></script>`;
}

/**
 * Writes dist/embed/manifest.json with the loader's Subresource Integrity hash and prints the
 * snippet partners paste. The hash is of the exact bytes written, so a partner pinning it will
 * refuse a loader that was altered on the server.
 */
export function loaderManifest(fileName: string): Plugin {
  return {
    name: "sahara-loader-manifest",
    apply: "build",
    writeBundle(output, bundle) {
      const chunk = bundle[fileName];
      if (chunk?.type !== "chunk" || !output.dir) throw new Error(`loader chunk ${fileName} missing`);
      const manifest: LoaderManifest = {
        loader: LOADER_PATH,
        integrity: sriHash(chunk.code),
        frame: FRAME_PATH,
      };
      writeFileSync(join(output.dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      const origin = process.env.PUBLIC_ORIGIN ?? "http://localhost:8080";
      console.log(
        `\nLoader SRI: ${manifest.integrity}\nSnippet:\n${embedSnippet(origin, manifest.integrity)}\n`,
      );
    },
  };
}
