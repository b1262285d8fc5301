import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  createRepositories,
  type OpenedDatabase,
  type OpenOptions,
  openDatabase,
  type Repositories,
} from "../../server/db/index.ts";
import { needService, postgresUrl } from "./services.ts";

export type DbKind = "sqlite" | "postgres";

export type TestDatabase = Readonly<{
  kind: DbKind;
  url: string;
  opened: OpenedDatabase;
  repos: Repositories;
  /** The SQLite file (for byte-level checks); null on PostgreSQL. */
  file: string | null;
  /** The PostgreSQL schema of this database; null on SQLite. */
  schema: string | null;
  /** Closes the connection and removes the file or schema. */
  cleanup: () => Promise<void>;
}>;

/** Which storage back ends this run covers: SQLite always, PostgreSQL when reachable (or required). */
export async function databaseKinds(): Promise<readonly Readonly<{ kind: DbKind; run: boolean }>[]> {
  return [
    { kind: "sqlite", run: true },
    { kind: "postgres", run: await needService("postgres") },
  ];
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty, migrated database. PostgreSQL runs get their own schema (`t_<random>`, chosen
 * with search_path in the URL), dropped on cleanup, so parallel runs never meet.
 */
export async function openTestDatabase(kind: DbKind, opts: OpenOptions = {}): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "sahara-db-"));
    const file = join(dir, "nested", "sahara.db");
    const url = `sqlite:${file}`;
    const opened = await openDatabase(url, opts);
    return {
      kind,
      url,
      opened,
      repos: createRepositories(opened.db),
      file,
      schema: null,
      cleanup: async () => {
        await opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(8).toString("hex")}`;
  await adminQuery(`create schema ${schema}`);
  const separator = postgresUrl.includes("?") ? "&" : "?";
  const url = `${postgresUrl}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  try {
    const opened = await openDatabase(url, opts);
    return {
      kind,
      url,
      opened,
      repos: createRepositories(opened.db),
      file: null,
      schema,
      cleanup: async () => {
        await opened.close();
        await adminQuery(`drop schema ${schema} cascade`);
      },
    };
  } catch (error) {
    await adminQuery(`drop schema ${schema} cascade`);
    throw error;
  }
}
