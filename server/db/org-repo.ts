import type { Kysely } from "kysely";
import { err, ok } from "../../shared/result.ts";
import { flushDeleted } from "./flush-deleted.ts";
import { randomId } from "./random-id.ts";
import type { OrgRepo } from "./repositories.ts";
import type { Database, StaffTable } from "./schema.ts";
import { foldUsername, toStaffRecord } from "./staff-repo.ts";
import { isUniqueViolation } from "./unique-violation.ts";

/** Thrown inside the setup transaction to roll it back; turned into an error code outside. */
class SetupRefused extends Error {
  readonly code: "already-set-up" | "username-taken";
  constructor(code: "already-set-up" | "username-taken") {
    super(code);
    this.code = code;
  }
}

export function createOrgRepo(db: Kysely<Database>): OrgRepo {
  return {
    async get() {
      const row = await db.selectFrom("org").selectAll().where("id", "=", 1).executeTakeFirst();
      return row === undefined ? null : { publicKey: row.public_key, createdAt: row.created_at };
    },

    async setup(input) {
      const admin: StaffTable = {
        id: randomId(),
        username: foldUsername(input.admin.username),
        display_name: input.admin.displayName,
        role: "admin",
        status: "active",
        salt: input.admin.salt,
        auth_hash: input.admin.authHash,
        wrapped_identity_key: input.admin.wrappedIdentityKey,
        identity_public_key: input.admin.identityPublicKey,
        certificate: null,
        certified_at: null,
        chat_limit: null,
        languages: null,
        disabled: 0,
        invite_code_hash: null,
        invite_expires_at: null,
        created_at: input.now,
      };
      try {
        await db.transaction().execute(async (trx) => {
          // The org row's primary key is fixed at 1, so a second concurrent setup fails on
          // insert even if both passed this check.
          const existing = await trx.selectFrom("org").select("id").executeTakeFirst();
          if (existing !== undefined) throw new SetupRefused("already-set-up");
          const taken = await trx
            .selectFrom("staff")
            .select("id")
            .where("username", "=", admin.username)
            .executeTakeFirst();
          if (taken !== undefined) throw new SetupRefused("username-taken");
          await trx
            .insertInto("org")
            .values({ id: 1, public_key: input.publicKey, created_at: input.now })
            .execute();
          await trx.insertInto("staff").values(admin).execute();
          await trx
            .insertInto("org_key_copies")
            .values({ staff_id: admin.id, wrapped_key: input.wrappedOrgKey, created_at: input.now })
            .execute();
        });
      } catch (error) {
        if (error instanceof SetupRefused) return err(error.code);
        if (isUniqueViolation(error)) return err("already-set-up");
        throw error;
      }
      return ok({ org: { publicKey: input.publicKey, createdAt: input.now }, admin: toStaffRecord(admin) });
    },

    async putKeyCopy(staffId, wrappedKey, now) {
      const staff = await db.selectFrom("staff").select("id").where("id", "=", staffId).executeTakeFirst();
      if (staff === undefined) return err("not-found");
      await db
        .insertInto("org_key_copies")
        .values({ staff_id: staffId, wrapped_key: wrappedKey, created_at: now })
        .onConflict((oc) => oc.column("staff_id").doUpdateSet({ wrapped_key: wrappedKey, created_at: now }))
        .execute();
      await flushDeleted(db);
      return ok(undefined);
    },

    async getKeyCopy(staffId) {
      const row = await db
        .selectFrom("org_key_copies")
        .select("wrapped_key")
        .where("staff_id", "=", staffId)
        .executeTakeFirst();
      return row?.wrapped_key ?? null;
    },

    async removeKeyCopy(staffId) {
      await db.deleteFrom("org_key_copies").where("staff_id", "=", staffId).execute();
      await flushDeleted(db);
    },
  };
}
