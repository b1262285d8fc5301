import { err, ok, type Result } from "../../shared/result.ts";

/** Where the database lives, parsed from DATABASE_URL (or its absence). */
export type DatabaseTarget =
  | Readonly<{ type: "sqlite"; path: string }>
  | Readonly<{ type: "sqlite-memory" }>
  | Readonly<{ type: "postgres"; connectionString: string }>;

export const DEFAULT_SQLITE_PATH = "./data/sahara.db";

/**
 * Accepted forms: unset or empty (SQLite at ./data/sahara.db), `sqlite:<path>`,
 * `sqlite::memory:` (tests), `postgres://...` or `postgresql://...`.
 */
export function parseDatabaseUrl(
  url: string | undefined,
  defaultSqlitePath: string = DEFAULT_SQLITE_PATH,
): Result<DatabaseTarget, "unsupported-database-url"> {
  if (url === undefined || url.trim() === "") return ok({ type: "sqlite", path: defaultSqlitePath });
  const trimmed = url.trim();
  if (trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://")) {
    return ok({ type: "postgres", connectionString: trimmed });
  }
  if (trimmed.startsWith("sqlite:")) {
    const rest = trimmed.slice("sqlite:".length).replace(/^\/\//, "");
    if (rest === ":memory:") return ok({ type: "sqlite-memory" });
    if (rest === "") return err("unsupported-database-url");
    return ok({ type: "sqlite", path: rest });
  }
  return err("unsupported-database-url");
}

/** A message for the operator; never includes the URL itself (it may carry a password). */
export const DATABASE_URL_HELP =
  "DATABASE_URL must be unset (SQLite at ./data/sahara.db), sqlite:<path>, or postgres://user@host:port/database";
