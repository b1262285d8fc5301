import { type Kysely, type Migration, sql } from "kysely";

/**
 * Service figures (whether people got through): counters per helpline-local day and hour, and
 * wait histograms per day. Aggregate-only by construction: the key is the day and hour (or the
 * day, outcome and wait bucket), every other column is a count incremented in place, so no row
 * ever stands for one chat and nothing finer than the hour is kept (ARCHITECTURE.md "Storage").
 */
export function serviceFiguresMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const counter = (name: string) => (t: ReturnType<Kysely<unknown>["schema"]["createTable"]>) =>
        t.addColumn(name, "integer", (c) =>
          c
            .notNull()
            .defaultTo(0)
            .check(sql`${sql.ref(name)} >= 0`),
        );
      let hours = db.schema
        .createTable("service_hours")
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("hour", "integer", (c) => c.notNull().check(sql`hour between 0 and 23`));
      for (const name of ["offered", "answered", "abandoned", "quick_exit", "refused_closed", "refused_full"])
        hours = counter(name)(hours);
      await hours.addPrimaryKeyConstraint("service_hours_pk", ["day", "hour"]).execute();

      await db.schema
        .createTable("service_waits")
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('answered', 'abandoned')`))
        .addColumn("bucket", "text", (c) => c.notNull())
        .addColumn("n", "integer", (c) => c.notNull().defaultTo(0).check(sql`n >= 0`))
        .addPrimaryKeyConstraint("service_waits_pk", ["day", "outcome", "bucket"])
        .execute();
    },
  };
}
