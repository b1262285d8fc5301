import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseConfigError, DEMO_PARTNER, openDatabase } from "../../server/db/index.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../support/db-fixture.ts";

const TABLES = [
  "audit_log",
  "canned_responses",
  "holidays",
  "org",
  "org_key_copies",
  "partners",
  "referrals",
  "revocation_list",
  "revoked_keys",
  "service_hours",
  "service_waits",
  "settings",
  "staff",
  "wrapups",
];

for (const { kind, run } of await databaseKinds()) {
  describe.runIf(run)(`storage migrations (${kind})`, () => {
    let t: TestDatabase | undefined;
    afterEach(async () => {
      await t?.cleanup();
      t = undefined;
    });

    it("creates every table on an empty database, and no session or survivor table", async () => {
      t = await openTestDatabase(kind);
      // PostgreSQL's introspection lists every schema's tables; other tests run in schemas of their own.
      const all = await t.opened.db.introspection.getTables();
      const own = t.schema === null ? all : all.filter((x) => x.schema === t?.schema);
      const tables = own.map((x) => x.name).sort();
      expect(tables).toEqual(TABLES);
      const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        t.opened.db,
      );
      expect(migrations.rows.map((r) => r.name)).toEqual([
        "0001-initial",
        "0002-languages-outcomes",
        "0003-service-figures",
      ]);
    });

    it("is idempotent: reopening migrates nothing and seeds nothing twice", async () => {
      t = await openTestDatabase(kind);
      const before = {
        partners: await t.repos.partners.list(),
        canned: (await t.repos.canned.list()).length,
        referrals: (await t.repos.referrals.list()).length,
      };
      expect(before.partners.map((p) => p.id)).toEqual([DEMO_PARTNER.id]);
      expect(before.canned).toBeGreaterThan(0);
      expect(before.referrals).toBeGreaterThan(0);

      for (let i = 0; i < 2; i++) {
        const again = await openDatabase(t.url);
        await again.close();
      }
      expect((await t.repos.partners.list()).length).toBe(1);
      expect((await t.repos.canned.list()).length).toBe(before.canned);
      expect((await t.repos.referrals.list()).length).toBe(before.referrals);
      const migrations = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
        t.opened.db,
      );
      expect(Number(migrations.rows[0]?.n)).toBe(3);
    });

    it("survives two processes starting at once", async () => {
      t = await openTestDatabase(kind, { migrate: false, seed: false });
      const opened = await Promise.all([openDatabase(t.url), openDatabase(t.url)]);
      await Promise.all(opened.map((o) => o.close()));
      expect((await t.repos.partners.list()).length).toBe(1);
    });

    it("does not bring back seeded rows an admin deleted", async () => {
      t = await openTestDatabase(kind);
      expect((await t.repos.partners.remove(DEMO_PARTNER.id as never)).ok).toBe(true);
      const again = await openDatabase(t.url);
      await again.close();
      expect(await t.repos.partners.list()).toEqual([]);
    });

    it("marks seeded referrals as needing verification before go-live", async () => {
      t = await openTestDatabase(kind);
      const referrals = await t.repos.referrals.list();
      expect(referrals.every((r) => r.needsVerification)).toBe(true);
      const contacts = referrals.map((r) => r.contact).join(" ");
      for (const number of ["1991", "0800-39393", "0311-7786264"]) expect(contacts).toContain(number);
      expect(new Set(referrals.map((r) => r.language))).toEqual(new Set(["en", "ur"]));
      expect(new Set((await t.repos.canned.list()).map((c) => c.language))).toEqual(new Set(["en", "ur"]));
    });
  });
}

describe("database URLs", () => {
  it("refuses an unsupported URL with a clear error that does not echo it", async () => {
    const attempt = openDatabase("mysql://root:hunter2@db/sahara");
    await expect(attempt).rejects.toBeInstanceOf(DatabaseConfigError);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });
});
