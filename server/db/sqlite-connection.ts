import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";

/** Opens the SQLite file with the pragmas Sahara relies on. */
export function openSqlite(filename: string): BetterSqlite3.Database {
  if (filename !== ":memory:") mkdirSync(dirname(resolve(filename)), { recursive: true });
  const sqlite = new BetterSqlite3(filename);
  // Deleted rows (removed staff, purged statistics, audit lines) are overwritten with zeros
  // rather than left in free pages, where a seized disk image would still show them.
  sqlite.pragma("secure_delete = ON");
  sqlite.pragma("foreign_keys = ON");
  if (filename !== ":memory:") sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

const chains = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` inside `BEGIN IMMEDIATE` on this connection, one caller per file at a time.
 * Kysely takes no migration lock on SQLite and does not wrap SQLite migrations in a transaction,
 * so two processes starting together would both create the tables. The write lock serialises
 * processes; the in-process chain serialises connections of one process, which would otherwise
 * dead-lock (better-sqlite3's busy wait blocks the event loop the lock holder needs).
 */
export async function withSqliteWriteLock<T>(
  sqlite: BetterSqlite3.Database,
  filename: string,
  fn: () => Promise<T>,
): Promise<T> {
  const key = filename === ":memory:" ? `:memory:${Math.random()}` : resolve(filename);
  const previous = chains.get(key) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      sqlite.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn();
        sqlite.exec("COMMIT");
        return result;
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
        throw error;
      }
    });
  chains.set(key, run);
  try {
    return await run;
  } finally {
    if (chains.get(key) === run) chains.delete(key);
  }
}
