import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { CdpConnection } from "./browser-cdp.ts";

/** The tab's back/forward list: what Back could show. */
export async function navigationHistory(cdp: CdpConnection, pageSessionId: string): Promise<string[]> {
  const { entries } = await cdp.send<{ entries: { url: string }[] }>(
    "Page.getNavigationHistory",
    {},
    pageSessionId,
  );
  return entries.map((e) => e.url);
}

/**
 * URLs in the profile's global History database (what the History page shows), read from a
 * copy so the browser's lock does not matter. Call after the browser has closed, when the
 * database has been flushed.
 */
export function historyDatabaseUrls(userDataDir: string): string[] {
  const file = join(userDataDir, "Default", "History");
  if (!existsSync(file)) return [];
  const dir = mkdtempSync(join(tmpdir(), "sahara-history-"));
  try {
    const copy = join(dir, "History");
    copyFileSync(file, copy);
    for (const suffix of ["-wal", "-journal"]) {
      if (existsSync(file + suffix)) copyFileSync(file + suffix, copy + suffix);
    }
    const db = new Database(copy, { readonly: true });
    try {
      return (db.prepare("SELECT url FROM urls ORDER BY id").all() as { url: string }[]).map((r) => r.url);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
