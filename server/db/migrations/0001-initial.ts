import { type Kysely, type Migration, sql } from "kysely";

/**
 * The first schema. Portable: only text, integer and bigint columns, CHECK constraints in plain
 * SQL both dialects accept. `sqliteOnly` adds SQLite's WITHOUT ROWID where row order would leak.
 */
export function initialMigration(dialect: "sqlite" | "postgres"): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("org")
        .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn("public_key", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("staff")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("username", "text", (c) => c.notNull().unique())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) =>
          c.notNull().check(sql`role in ('counselor', 'supervisor', 'admin')`),
        )
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending', 'active')`))
        .addColumn("salt", "text")
        .addColumn("auth_hash", "text")
        .addColumn("wrapped_identity_key", "text")
        .addColumn("identity_public_key", "text")
        .addColumn("certificate", "text")
        .addColumn("certified_at", "bigint")
        .addColumn("chat_limit", "integer")
        .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0).check(sql`disabled in (0, 1)`))
        .addColumn("invite_code_hash", "text", (c) => c.unique())
        .addColumn("invite_expires_at", "bigint")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("org_key_copies")
        .addColumn("staff_id", "text", (c) => c.primaryKey().references("staff.id").onDelete("cascade"))
        .addColumn("wrapped_key", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("revocation_list")
        .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn("list", "text", (c) => c.notNull())
        .addColumn("issued_at", "bigint", (c) => c.notNull())
        .addColumn("stored_at", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("revoked_keys")
        .addColumn("public_key", "text", (c) => c.primaryKey())
        .addColumn("revoked_at", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("partners")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("allowed_origins", "text", (c) => c.notNull())
        .addColumn("exit_url", "text", (c) => c.notNull())
        .addColumn("default_language", "text", (c) => c.notNull())
        .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1).check(sql`enabled in (0, 1)`))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("holidays")
        .addColumn("date", "text", (c) => c.primaryKey())
        .addColumn("label", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("canned_responses")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("tags", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("referrals")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("category", "text", (c) =>
          c
            .notNull()
            .check(
              sql`category in ('law-enforcement', 'legal-aid', 'psychological', 'digital-security', 'other')`,
            ),
        )
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("contact", "text", (c) => c.notNull())
        .addColumn("how_to_prepare", "text", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("needs_verification", "integer", (c) =>
          c.notNull().defaultTo(0).check(sql`needs_verification in (0, 1)`),
        )
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();

      // Statistics only. No session id, no counselor id, no timestamp finer than the hour, and
      // a random primary key: on SQLite, WITHOUT ROWID stores rows in key order, so neither an
      // exported row nor the file's layout reveals the order in which chats ended.
      const wrapups = db.schema
        .createTable("wrapups")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("weekday", "integer", (c) => c.notNull().check(sql`weekday between 0 and 6`))
        .addColumn("hour", "integer", (c) => c.notNull().check(sql`hour between 0 and 23`))
        .addColumn("partner", "text", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("platform", "text", (c) => c.notNull())
        .addColumn("harassment_type", "text", (c) => c.notNull())
        .addColumn("caller_type", "text", (c) =>
          c.notNull().check(sql`caller_type in ('self', 'family', 'friend', 'other')`),
        )
        .addColumn("region", "text")
        .addColumn("gender", "text")
        .addColumn("referrals", "text", (c) => c.notNull())
        .addColumn("difficult", "integer", (c) => c.notNull().check(sql`difficult in (0, 1)`))
        .addColumn("duration_bucket", "text", (c) => c.notNull());
      await (dialect === "sqlite" ? wrapups.modifyEnd(sql`without rowid`) : wrapups).execute();
      await db.schema.createIndex("wrapups_day").on("wrapups").column("day").execute();

      await db.schema
        .createTable("audit_log")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("actor", "text")
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target", "text")
        .execute();
      await db.schema.createIndex("audit_log_at").on("audit_log").column("at").execute();
    },
  };
}
