import { type Kysely, type Migration, sql } from "kysely";

/**
 * Running a helpline: the languages each staff member counsels in, and several harassment types,
 * the outcomes and "follow-up advised" on a wrap-up.
 */
export function languagesOutcomesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // JSON array of language codes; null means every language (the default).
      await db.schema.alterTable("staff").addColumn("languages", "text").execute();

      // JSON arrays; the old single `harassment_type` stays filled with the first type so old
      // readers and the NOT NULL constraint keep working.
      await db.schema.alterTable("wrapups").addColumn("harassment_types", "text").execute();
      await db.schema.alterTable("wrapups").addColumn("outcomes", "text").execute();
      await db.schema
        .alterTable("wrapups")
        .addColumn("follow_up", "integer", (c) => c.notNull().defaultTo(0).check(sql`follow_up in (0, 1)`))
        .execute();
      await sql`update wrapups set harassment_types = '["' || harassment_type || '"]', outcomes = '[]'`.execute(
        db,
      );
    },
  };
}
