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

/** A file of the profile and which of the searched-for strings it names. */
export type Naming = Readonly<{ file: string; names: readonly string[] }>;

/**
 * Every file under `dir` that names any of `needles` in UTF-8 or UTF-16LE (session-restore
 * files keep a URL once as UTF-8 and again, inside the page state, as UTF-16LE), with the
 * needles each one names. For a whole-profile report, not only a yes/no.
 */
export function filesNaming(dir: string, needles: readonly string[]): Naming[] {
  const forms = needles.map((n) => [n, [Buffer.from(n, "utf8"), Buffer.from(n, "utf16le")]] as const);
  const out: Naming[] = [];
  for (const file of filesUnder(dir)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, file));
    } catch {
      continue;
    }
    const names = forms.filter(([, encoded]) => encoded.some((e) => bytes.includes(e))).map(([n]) => n);
    if (names.length > 0) out.push({ file, names });
  }
  return out;
}
