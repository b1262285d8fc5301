import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { initialMigration } from "./migrations/0001-initial.ts";
import { languagesOutcomesMigration } from "./migrations/0002-languages-outcomes.ts";
import { serviceFiguresMigration } from "./migrations/0003-service-figures.ts";
import type { Database } from "./schema.ts";

/**
 * Migrations are listed in code (no directory globbing), so they survive bundling. Names sort in
 * the order they must run; never edit a released migration, add the next one.
 */
function migrations(dialect: "sqlite" | "postgres"): Record<string, Migration> {
  return {
    "0001-initial": initialMigration(dialect),
    "0002-languages-outcomes": languagesOutcomesMigration(),
    "0003-service-figures": serviceFiguresMigration(),
  };
}

export async function migrateToLatest(db: Kysely<Database>, dialect: "sqlite" | "postgres"): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // Kysely looks for its bookkeeping tables in every schema unless told which one; several
  // installs (or parallel test runs) sharing a PostgreSQL database in different schemas would
  // see each other's tables. Pin it to the connection's current schema.
  const schema =
    dialect === "postgres"
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`database migration ${failed} failed`, { cause: error });
  }
}
