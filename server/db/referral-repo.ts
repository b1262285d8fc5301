import type { Kysely, Selectable } from "kysely";
import type { Language } from "../../shared/protocol/index.ts";
import { err, ok } from "../../shared/result.ts";
import { flushDeleted } from "./flush-deleted.ts";
import { randomId } from "./random-id.ts";
import type { Referral, ReferralCategory } from "./records.ts";
import type { ReferralRepo } from "./repositories.ts";
import type { Database, ReferralTable } from "./schema.ts";

function toReferral(row: Selectable<ReferralTable>): Referral {
  return {
    id: row.id,
    name: row.name,
    category: row.category as ReferralCategory,
    description: row.description,
    contact: row.contact,
    howToPrepare: row.how_to_prepare,
    language: row.language as Language,
    needsVerification: row.needs_verification === 1,
    createdAt: row.created_at,
  };
}

export function createReferralRepo(db: Kysely<Database>): ReferralRepo {
  const get = async (id: string): Promise<Referral | null> => {
    const row = await db.selectFrom("referrals").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toReferral(row);
  };

  return {
    async list(language) {
      let query = db.selectFrom("referrals").selectAll();
      if (language !== undefined) query = query.where("language", "=", language);
      const rows = await query.orderBy("category").orderBy("name").execute();
      return rows.map(toReferral);
    },

    get,

    async create(input) {
      const row: ReferralTable = {
        id: randomId(),
        name: input.name,
        category: input.category,
        description: input.description,
        contact: input.contact,
        how_to_prepare: input.howToPrepare,
        language: input.language,
        needs_verification: 0,
        created_at: input.now,
      };
      await db.insertInto("referrals").values(row).execute();
      return toReferral(row);
    },

    async update(id, patch) {
      // An admin editing an entry is taken as having checked it, unless they say otherwise.
      const values: Partial<ReferralTable> = {
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.category === undefined ? {} : { category: patch.category }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
        ...(patch.contact === undefined ? {} : { contact: patch.contact }),
        ...(patch.howToPrepare === undefined ? {} : { how_to_prepare: patch.howToPrepare }),
        ...(patch.language === undefined ? {} : { language: patch.language }),
        needs_verification: patch.needsVerification === true ? 1 : 0,
      };
      const result = await db.updateTable("referrals").set(values).where("id", "=", id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return err("not-found");
      const record = await get(id);
      return record === null ? err("not-found") : ok(record);
    },

    async remove(id) {
      const result = await db.deleteFrom("referrals").where("id", "=", id).executeTakeFirst();
      if (result.numDeletedRows === 0n) return err("not-found");
      await flushDeleted(db);
      return ok(undefined);
    },
  };
}
