import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { DATABASE_URL_HELP, parseDatabaseUrl } from "./database-url.ts";
import { migrateToLatest } from "./migrate.ts";
import type { Database } from "./schema.ts";
import { seedIfEmpty } from "./seed.ts";

export type Dialect = "sqlite" | "postgres";

export type OpenedDatabase = Readonly<{
  db: Kysely<Database>;
  dialect: Dialect;
  close: () => Promise<void>;
}>;

export type OpenOptions = Readonly<{
  /** Where SQLite lives when the URL is unset (default ./data/sahara.db). */
  defaultSqlitePath?: string;
  /** Run migrations (default true). */
  migrate?: boolean;
  /** Seed a fresh install: demo partner, default hours, canned responses, referrals (default true). */
  seed?: boolean;
  /** Clock for the seed's created_at values. */
  now?: () => number;
  /** Errors on idle pooled PostgreSQL connections (otherwise they would crash the process). */
  onPoolError?: (error: Error) => void;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}>;

export class DatabaseConfigError extends Error {
  readonly code = "unsupported-database-url";
  constructor() {
    super(DATABASE_URL_HELP);
    this.name = "DatabaseConfigError";
  }
}

/** pg returns int8 (bigint, and COUNT(*)) as strings; our values are ms timestamps and counts. */
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

function openSqlite(filename: string): BetterSqlite3.Database {
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

/**
 * Opens the database named by DATABASE_URL, runs migrations and seeds a fresh install.
 * Throws DatabaseConfigError for an unsupported URL (main.ts can check first with
 * `parseDatabaseUrl`), or the driver's error when the database cannot be reached.
 */
export async function openDatabase(url: string | undefined, opts: OpenOptions = {}): Promise<OpenedDatabase> {
  const target = parseDatabaseUrl(url, opts.defaultSqlitePath);
  if (!target.ok) throw new DatabaseConfigError();

  let opened: OpenedDatabase;
  switch (target.value.type) {
    case "sqlite":
    case "sqlite-memory": {
      const sqlite = openSqlite(target.value.type === "sqlite" ? target.value.path : ":memory:");
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
      opened = { db, dialect: "sqlite", close: () => db.destroy() };
      break;
    }
    case "postgres": {
      const pool = new pg.Pool({
        connectionString: target.value.connectionString,
        max: opts.poolSize ?? 10,
        types: pgTypes,
      });
      pool.on("error", (error) => opts.onPoolError?.(error));
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      opened = { db, dialect: "postgres", close: () => db.destroy() };
      break;
    }
    default: {
      const never: never = target.value;
      throw new Error(`unhandled database target ${String(never)}`);
    }
  }

  try {
    if (opts.migrate ?? true) await migrateToLatest(opened.db, opened.dialect);
    if (opts.seed ?? true) await seedIfEmpty(opened.db, (opts.now ?? Date.now)());
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}
