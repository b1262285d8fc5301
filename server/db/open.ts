import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { DATABASE_URL_HELP, parseDatabaseUrl } from "./database-url.ts";
import { migrateToLatest } from "./migrate.ts";
import type { Database } from "./schema.ts";
import { seedIfEmpty, seedWithin } from "./seed.ts";
import { openSqlite, withSqliteWriteLock } from "./sqlite-connection.ts";

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
  /** The seeded demo partner's allowed origins (default http://localhost:8081 and 127.0.0.1:8081). */
  demoOrigins?: readonly string[];
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

/**
 * Opens the database named by DATABASE_URL, runs migrations and seeds a fresh install.
 * Throws DatabaseConfigError for an unsupported URL (main.ts can check first with
 * `parseDatabaseUrl`), or the driver's error when the database cannot be reached.
 */
export async function openDatabase(url: string | undefined, opts: OpenOptions = {}): Promise<OpenedDatabase> {
  const target = parseDatabaseUrl(url, opts.defaultSqlitePath);
  if (!target.ok) throw new DatabaseConfigError();

  let opened: OpenedDatabase;
  let prepare: (migrate: boolean, seed: boolean, now: number) => Promise<void>;
  switch (target.value.type) {
    case "sqlite":
    case "sqlite-memory": {
      const filename = target.value.type === "sqlite" ? target.value.path : ":memory:";
      const sqlite = openSqlite(filename);
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
      opened = { db, dialect: "sqlite", close: () => db.destroy() };
      // Migration and seed in one write transaction: see withSqliteWriteLock.
      prepare = (migrate, seed, now) =>
        withSqliteWriteLock(sqlite, filename, async () => {
          if (migrate) await migrateToLatest(db, "sqlite");
          if (seed) await seedWithin(db, now, opts.demoOrigins);
        });
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
      // Kysely's PostgreSQL adapter takes an advisory lock and runs migrations in a transaction.
      prepare = async (migrate, seed, now) => {
        if (migrate) await migrateToLatest(db, "postgres");
        if (seed) await seedIfEmpty(db, now, opts.demoOrigins);
      };
      break;
    }
    default: {
      const never: never = target.value;
      throw new Error(`unhandled database target ${String(never)}`);
    }
  }

  try {
    await prepare(opts.migrate ?? true, opts.seed ?? true, (opts.now ?? Date.now)());
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}
