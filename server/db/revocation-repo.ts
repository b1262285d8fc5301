import type { Kysely } from "kysely";
import { err, ok } from "../../shared/result.ts";
import type { RevocationList } from "./records.ts";
import type { RevocationRepo } from "./repositories.ts";
import type { Database } from "./schema.ts";

export function createRevocationRepo(db: Kysely<Database>): RevocationRepo {
  const current = async (): Promise<RevocationList | null> => {
    const row = await db.selectFrom("revocation_list").selectAll().where("id", "=", 1).executeTakeFirst();
    if (row === undefined) return null;
    const keys = await db.selectFrom("revoked_keys").select("public_key").orderBy("public_key").execute();
    return { list: row.list, issuedAt: row.issued_at, revokedKeys: keys.map((k) => k.public_key) };
  };

  return {
    current,

    async store(input) {
      const stored = await db.transaction().execute(async (trx) => {
        // A replayed older list must not replace a newer one (it could omit a recent revocation).
        // The condition sits in the upsert itself, so two concurrent stores cannot both win.
        const result = await trx
          .insertInto("revocation_list")
          .values({ id: 1, list: input.list, issued_at: input.issuedAt, stored_at: input.now })
          .onConflict((oc) =>
            oc
              .column("id")
              .doUpdateSet({ list: input.list, issued_at: input.issuedAt, stored_at: input.now })
              .where("revocation_list.issued_at", "<", input.issuedAt),
          )
          .executeTakeFirst();
        if (result.numInsertedOrUpdatedRows === 0n) return false;
        for (const key of new Set(input.revokedKeys)) {
          await trx
            .insertInto("revoked_keys")
            .values({ public_key: key, revoked_at: input.issuedAt })
            .onConflict((oc) => oc.column("public_key").doNothing())
            .execute();
        }
        return true;
      });
      if (!stored) return err("stale-revocation-list");
      const list = await current();
      return list === null ? err("stale-revocation-list") : ok(list);
    },

    async isRevoked(identityPublicKey) {
      const row = await db
        .selectFrom("revoked_keys")
        .select("public_key")
        .where("public_key", "=", identityPublicKey)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
