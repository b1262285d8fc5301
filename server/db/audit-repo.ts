import type { Kysely } from "kysely";
import type { StaffId } from "../../shared/protocol/index.ts";
import type { AuditAction } from "./audit-types.ts";
import { flushDeleted } from "./flush-deleted.ts";
import { randomId } from "./random-id.ts";
import type { AuditRepo } from "./repositories.ts";
import type { Database } from "./schema.ts";

const MAX_PAGE = 500;

export function createAuditRepo(db: Kysely<Database>): AuditRepo {
  return {
    async record(entry) {
      await db
        .insertInto("audit_log")
        .values({
          id: randomId(),
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
        })
        .execute();
    },

    async list(query) {
      let q = db.selectFrom("audit_log").selectAll();
      if (query.before !== undefined) q = q.where("at", "<", query.before);
      const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(query.limit)));
      const rows = await q.orderBy("at", "desc").orderBy("id").limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor as StaffId | null,
        action: r.action as AuditAction,
        target: r.target,
      }));
    },

    async deleteBefore(at) {
      const result = await db.deleteFrom("audit_log").where("at", "<", at).executeTakeFirst();
      await flushDeleted(db);
      return Number(result.numDeletedRows);
    },
  };
}
