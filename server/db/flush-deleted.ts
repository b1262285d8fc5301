import { type Kysely, SqliteAdapter, sql } from "kysely";
import type { Database } from "./schema.ts";

/**
 * Threat: a seized disk. secure_delete zeroes deleted rows in the database file, but in WAL mode
 * the previous page images (with the old row) stay in the -wal file until a checkpoint reuses
 * it. After deleting or replacing anything (an account, a wrapped key, a purged statistic), a
 * TRUNCATE checkpoint copies the zeroed pages home and empties the WAL. PostgreSQL: no-op (its
 * dead tuples are reclaimed by VACUUM; ARCHITECTURE.md "Storage" says what operators must do).
 */
export async function flushDeleted(db: Kysely<Database>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}
