import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { containsCanary } from "./browser-canary.ts";

/** Every regular file under a browser's user-data directory, relative to it. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      let stat: ReturnType<typeof statSync>;
      try {
        stat = statSync(p);
      } catch {
        continue; // a file the browser deleted while we walked
      }
      if (stat.isDirectory()) walk(p);
      else if (stat.isFile()) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/**
 * Files under `dir` holding the canary in UTF-8, UTF-16LE or JSON-escaped form. Chromium's
 * LevelDB, SQLite and session files store strings in one of these encodings (short random
 * strings survive Snappy compression as literals).
 */
export function filesContaining(dir: string, canary: string): string[] {
  return filesUnder(dir).filter((file) => {
    try {
      return containsCanary(readFileSync(join(dir, file)), canary);
    } catch {
      return false;
    }
  });
}
