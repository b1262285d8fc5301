import type { Kysely, Selectable } from "kysely";
import type { Language, PartnerId } from "../../shared/protocol/index.ts";
import { err, ok } from "../../shared/result.ts";
import type { PartnerRecord } from "./records.ts";
import type { PartnerRepo } from "./repositories.ts";
import { flushDeleted } from "./flush-deleted.ts";
import type { Database, PartnerTable } from "./schema.ts";
import { isUniqueViolation } from "./unique-violation.ts";

function parseOrigins(json: string): readonly string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((o): o is string => typeof o === "string") : [];
}

function toPartner(row: Selectable<PartnerTable>): PartnerRecord {
  return {
    id: row.id as PartnerId,
    name: row.name,
    allowedOrigins: parseOrigins(row.allowed_origins),
    exitUrl: row.exit_url,
    defaultLanguage: row.default_language as Language,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
  };
}

export function createPartnerRepo(db: Kysely<Database>): PartnerRepo {
  const get = async (id: PartnerId): Promise<PartnerRecord | null> => {
    const row = await db.selectFrom("partners").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toPartner(row);
  };

  return {
    async list() {
      const rows = await db.selectFrom("partners").selectAll().orderBy("id").execute();
      return rows.map(toPartner);
    },

    get,

    async create(input) {
      const row: PartnerTable = {
        id: input.id,
        name: input.name,
        allowed_origins: JSON.stringify(input.allowedOrigins),
        exit_url: input.exitUrl,
        default_language: input.defaultLanguage,
        enabled: input.enabled ? 1 : 0,
        created_at: input.now,
      };
      try {
        await db.insertInto("partners").values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error)) return err("partner-exists");
        throw error;
      }
      return ok(toPartner(row));
    },

    async update(id, patch) {
      const values: Partial<PartnerTable> = {
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.allowedOrigins === undefined
          ? {}
          : { allowed_origins: JSON.stringify(patch.allowedOrigins) }),
        ...(patch.exitUrl === undefined ? {} : { exit_url: patch.exitUrl }),
        ...(patch.defaultLanguage === undefined ? {} : { default_language: patch.defaultLanguage }),
        ...(patch.enabled === undefined ? {} : { enabled: patch.enabled ? 1 : 0 }),
      };
      if (Object.keys(values).length > 0) {
        const result = await db.updateTable("partners").set(values).where("id", "=", id).executeTakeFirst();
        if (result.numUpdatedRows === 0n) return err("not-found");
      }
      const record = await get(id);
      return record === null ? err("not-found") : ok(record);
    },

    async remove(id) {
      const result = await db.deleteFrom("partners").where("id", "=", id).executeTakeFirst();
      if (result.numDeletedRows === 0n) return err("not-found");
      await flushDeleted(db);
      return ok(undefined);
    },

    async allowedOrigins() {
      const rows = await db
        .selectFrom("partners")
        .select("allowed_origins")
        .where("enabled", "=", 1)
        .execute();
      return [...new Set(rows.flatMap((r) => parseOrigins(r.allowed_origins)))].sort();
    },
  };
}
