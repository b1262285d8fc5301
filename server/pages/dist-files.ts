import { readFile } from "node:fs/promises";
import { join, normalize, sep } from "node:path";

/**
 * Reads build output (`npm run build` → dist/). Missing files are `null`, so pages can answer
 * 503 `not-built` rather than crash. Paths are fixed by the routes, never taken from a request.
 */
export type DistFiles = Readonly<{
  root: string;
  read: (relative: string) => Promise<Buffer | null>;
  manifest: () => Promise<EmbedManifest | null>;
}>;

export type EmbedManifest = Readonly<{ loader: string; integrity: string; frame: string }>;

export function createDistFiles(root: string): DistFiles {
  const read = async (relative: string): Promise<Buffer | null> => {
    const path = normalize(join(root, relative));
    if (!path.startsWith(normalize(root) + sep) && path !== normalize(root)) return null;
    try {
      return await readFile(path);
    } catch {
      return null;
    }
  };
  return {
    root,
    read,
    async manifest() {
      const bytes = await read("embed/manifest.json");
      if (!bytes) return null;
      try {
        const value = JSON.parse(bytes.toString("utf8")) as Partial<EmbedManifest>;
        if (typeof value.loader !== "string" || typeof value.integrity !== "string") return null;
        return { loader: value.loader, integrity: value.integrity, frame: value.frame ?? "/frame/" };
      } catch {
        return null;
      }
    },
  };
}

export const NOT_BUILT_MESSAGE =
  "Sahara's pages are not built yet: run `npm run build` (or `npm start`, which builds first).";
