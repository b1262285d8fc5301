import type { Kysely, Selectable } from "kysely";
import type { Language } from "../../shared/protocol/index.ts";
import { err, ok } from "../../shared/result.ts";
import { flushDeleted } from "./flush-deleted.ts";
import { randomId } from "./random-id.ts";
import type { CannedResponse } from "./records.ts";
import type { CannedRepo } from "./repositories.ts";
import type { CannedResponseTable, Database } from "./schema.ts";

function toCanned(row: Selectable<CannedResponseTable>): CannedResponse {
  const tags: unknown = JSON.parse(row.tags);
  return {
    id: row.id,
    language: row.language as Language,
    title: row.title,
    body: row.body,
    tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [],
    createdAt: row.created_at,
  };
}

export function createCannedRepo(db: Kysely<Database>): CannedRepo {
  const get = async (id: string): Promise<CannedResponse | null> => {
    const row = await db.selectFrom("canned_responses").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toCanned(row);
  };

  return {
    async list(language) {
      let query = db.selectFrom("canned_responses").selectAll();
      if (language !== undefined) query = query.where("language", "=", language);
      const rows = await query.orderBy("language").orderBy("title").execute();
      return rows.map(toCanned);
    },

    get,

    async create(input) {
      const row: CannedResponseTable = {
        id: randomId(),
        language: input.language,
        title: input.title,
        body: input.body,
        tags: JSON.stringify(input.tags),
        created_at: input.now,
      };
      await db.insertInto("canned_responses").values(row).execute();
      return toCanned(row);
    },

    async update(id, patch) {
      const values: Partial<CannedResponseTable> = {
        ...(patch.language === undefined ? {} : { language: patch.language }),
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.body === undefined ? {} : { body: patch.body }),
        ...(patch.tags === undefined ? {} : { tags: JSON.stringify(patch.tags) }),
      };
      if (Object.keys(values).length > 0) {
        const result = await db
          .updateTable("canned_responses")
          .set(values)
          .where("id", "=", id)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return err("not-found");
      }
      const record = await get(id);
      return record === null ? err("not-found") : ok(record);
    },

    async remove(id) {
      const result = await db.deleteFrom("canned_responses").where("id", "=", id).executeTakeFirst();
      if (result.numDeletedRows === 0n) return err("not-found");
      await flushDeleted(db);
      return ok(undefined);
    },
  };
}
