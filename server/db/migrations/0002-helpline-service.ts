import { type Kysely, type Migration, sql } from "kysely";

/**
 * Running a helpline: the languages each staff member counsels in, several harassment types and
 * the outcomes of a contact on a wrap-up, and the relay's anonymous service counters.
 *
 * The counters are aggregates by construction: one row per (day, hour, event) or (day, wait
 * bucket) whose `n` is incremented. There is no row per chat, no session id and no time finer
 * than the helpline-local hour, so nothing here can be joined to a chat or a wrap-up.
 */
export function helplineServiceMigration(dialect: "sqlite" | "postgres"): Migration {
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

      const service = db.schema
        .createTable("service_hourly")
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("weekday", "integer", (c) => c.notNull().check(sql`weekday between 0 and 6`))
        .addColumn("hour", "integer", (c) => c.notNull().check(sql`hour between 0 and 23`))
        .addColumn("event", "text", (c) => c.notNull())
        .addColumn("n", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("service_hourly_pk", ["day", "hour", "event"]);
      await (dialect === "sqlite" ? service.modifyEnd(sql`without rowid`) : service).execute();

      const waits = db.schema
        .createTable("service_waits")
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('answered', 'abandoned')`))
        .addColumn("bucket", "integer", (c) => c.notNull())
        .addColumn("n", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("service_waits_pk", ["day", "kind", "bucket"]);
      await (dialect === "sqlite" ? waits.modifyEnd(sql`without rowid`) : waits).execute();
    },
  };
}
