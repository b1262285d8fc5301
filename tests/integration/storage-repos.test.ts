import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PartnerId, StaffId } from "../../shared/protocol/index.ts";
import type { NewStaff, Repositories } from "../../server/db/index.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../support/db-fixture.ts";

const NOW = Date.UTC(2026, 10, 28, 9, 0);
const HOUR = 3_600_000;

function staffInput(username: string, role: NewStaff["role"] = "counselor"): NewStaff {
  return {
    username,
    displayName: `${username} display`,
    role,
    salt: `salt-${username}`,
    authHash: `scrypt$N=32768,r=8,p=1$${username}`,
    wrappedIdentityKey: `wrapped-${username}`,
    identityPublicKey: `pub-${username}`,
    now: NOW,
  };
}

function must<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

for (const { kind, run } of await databaseKinds()) {
  describe.runIf(run)(`storage repositories (${kind})`, () => {
    let t: TestDatabase;
    let repos: Repositories;
    beforeEach(async () => {
      t = await openTestDatabase(kind, { seed: false });
      repos = t.repos;
    });
    afterEach(async () => {
      await t.cleanup();
    });

    describe("staff", () => {
      it("round-trips an active account", async () => {
        const created = must(await repos.staff.create(staffInput("Ayesha")));
        expect(created.username).toBe("ayesha");
        expect(await repos.staff.findById(created.id)).toEqual(created);
        expect(await repos.staff.findByUsername("AYESHA")).toEqual(created);
        expect(await repos.staff.findByUsername("nobody")).toBeNull();
        expect(await repos.staff.list()).toEqual([created]);
        expect(await repos.staff.count()).toBe(1);
        expect(created).toMatchObject({
          role: "counselor",
          status: "active",
          disabled: false,
          certificate: null,
          chatLimit: null,
          createdAt: NOW,
        });
      });

      it("treats usernames case-insensitively (and NFKC-folded) for uniqueness", async () => {
        must(await repos.staff.create(staffInput("Ayesha")));
        expect(await repos.staff.create(staffInput("AYESHA"))).toEqual({
          ok: false,
          error: "username-taken",
        });
        const invite = await repos.staff.invite({
          username: "ａｙｅｓｈａ",
          displayName: "full width",
          role: "counselor",
          inviteCodeHash: "h1",
          inviteExpiresAt: NOW + HOUR,
          now: NOW,
        });
        expect(invite).toEqual({ ok: false, error: "username-taken" });
        expect(await repos.staff.count()).toBe(1);
      });

      it("enrolls an invited member once, and not after expiry", async () => {
        const pending = must(
          await repos.staff.invite({
            username: "Bilal",
            displayName: "Bilal",
            role: "counselor",
            inviteCodeHash: "code-hash",
            inviteExpiresAt: NOW + HOUR,
            now: NOW,
          }),
        );
        expect(pending).toMatchObject({
          status: "pending",
          salt: null,
          authHash: null,
          inviteExpiresAt: NOW + HOUR,
        });
        expect((await repos.staff.findByInvite("code-hash", NOW))?.id).toBe(pending.id);
        expect(await repos.staff.findByInvite("code-hash", NOW + HOUR)).toBeNull();
        expect(await repos.staff.findByInvite("other", NOW)).toBeNull();
        expect(await repos.staff.setCertificate(pending.id, "cert", NOW)).toEqual({
          ok: false,
          error: "not-enrolled",
        });

        const credentials = { salt: "s", authHash: "a", wrappedIdentityKey: "w", identityPublicKey: "p" };
        expect(await repos.staff.completeEnrollment("code-hash", credentials, NOW + HOUR)).toEqual({
          ok: false,
          error: "invalid-invite",
        });
        const enrolled = must(await repos.staff.completeEnrollment("code-hash", credentials, NOW + 1));
        expect(enrolled).toMatchObject({
          id: pending.id,
          status: "active",
          salt: "s",
          inviteExpiresAt: null,
        });
        expect(await repos.staff.completeEnrollment("code-hash", credentials, NOW + 2)).toEqual({
          ok: false,
          error: "invalid-invite",
        });
        expect(await repos.staff.renewInvite(pending.id, "x", NOW)).toEqual({
          ok: false,
          error: "not-pending",
        });
      });

      it("renews an invite for a pending account", async () => {
        const pending = must(
          await repos.staff.invite({
            username: "c",
            displayName: "C",
            role: "supervisor",
            inviteCodeHash: "old",
            inviteExpiresAt: NOW,
            now: NOW,
          }),
        );
        must(await repos.staff.renewInvite(pending.id, "new", NOW + 2 * HOUR));
        expect(await repos.staff.findByInvite("old", NOW - 1)).toBeNull();
        expect((await repos.staff.findByInvite("new", NOW + HOUR))?.id).toBe(pending.id);
        expect(await repos.staff.renewInvite("missing" as StaffId, "x", NOW)).toEqual({
          ok: false,
          error: "not-found",
        });
      });

      it("updates role, limit, name, certificate and password; never removes the last admin", async () => {
        const admin = must(await repos.staff.create(staffInput("admin", "admin")));
        const counselor = must(await repos.staff.create(staffInput("dua")));
        expect(await repos.staff.setRole(admin.id, "counselor")).toEqual({ ok: false, error: "last-admin" });
        expect(await repos.staff.setDisabled(admin.id, true)).toEqual({ ok: false, error: "last-admin" });
        expect(await repos.staff.remove(admin.id)).toEqual({ ok: false, error: "last-admin" });

        expect(must(await repos.staff.setRole(counselor.id, "admin")).role).toBe("admin");
        expect(must(await repos.staff.setDisabled(admin.id, true)).disabled).toBe(true);
        expect(await repos.staff.setDisabled(counselor.id, true)).toEqual({ ok: false, error: "last-admin" });
        expect(must(await repos.staff.setDisabled(admin.id, false)).disabled).toBe(false);

        expect(must(await repos.staff.setChatLimit(counselor.id, 4)).chatLimit).toBe(4);
        expect(must(await repos.staff.setChatLimit(counselor.id, null)).chatLimit).toBeNull();
        expect(must(await repos.staff.setDisplayName(counselor.id, "Dua R.")).displayName).toBe("Dua R.");
        const certified = must(await repos.staff.setCertificate(counselor.id, "cert-bytes", NOW + 5));
        expect(certified).toMatchObject({ certificate: "cert-bytes", certifiedAt: NOW + 5 });
        expect(must(await repos.staff.clearCertificate(counselor.id))).toMatchObject({
          certificate: null,
          certifiedAt: null,
        });
        const changed = must(
          await repos.staff.changePassword(counselor.id, {
            salt: "s2",
            authHash: "a2",
            wrappedIdentityKey: "w2",
          }),
        );
        expect(changed).toMatchObject({
          salt: "s2",
          authHash: "a2",
          wrappedIdentityKey: "w2",
          identityPublicKey: "pub-dua",
        });

        const missing = "missing" as StaffId;
        expect(await repos.staff.setChatLimit(missing, 1)).toEqual({ ok: false, error: "not-found" });
        expect(await repos.staff.setCertificate(missing, "c", NOW)).toEqual({
          ok: false,
          error: "not-found",
        });
        expect(await repos.staff.findById(missing)).toBeNull();
      });

      it("removes an account together with its org key copy", async () => {
        must(await repos.staff.create(staffInput("admin", "admin")));
        const other = must(await repos.staff.create(staffInput("second", "admin")));
        must(await repos.org.putKeyCopy(other.id, "wrapped-org-key", NOW));
        expect(await repos.org.getKeyCopy(other.id)).toBe("wrapped-org-key");
        must(await repos.staff.remove(other.id));
        expect(await repos.staff.findById(other.id)).toBeNull();
        expect(await repos.org.getKeyCopy(other.id)).toBeNull();
        expect(await repos.staff.remove(other.id)).toEqual({ ok: false, error: "not-found" });
      });
    });

    describe("org", () => {
      const setup = (username: string) => ({
        publicKey: "org-public-key",
        admin: {
          username,
          displayName: "First admin",
          salt: "salt",
          authHash: "hash",
          wrappedIdentityKey: "wik",
          identityPublicKey: "ipk",
        },
        wrappedOrgKey: "wrapped-org-private-key",
        now: NOW,
      });

      it("sets up once: org key, first admin and their key copy together", async () => {
        expect(await repos.org.get()).toBeNull();
        const done = must(await repos.org.setup(setup("Founder")));
        expect(done.org).toEqual({ publicKey: "org-public-key", createdAt: NOW });
        expect(done.admin).toMatchObject({ username: "founder", role: "admin", status: "active" });
        expect(await repos.org.get()).toEqual(done.org);
        expect(await repos.staff.findById(done.admin.id)).toEqual(done.admin);
        expect(await repos.org.getKeyCopy(done.admin.id)).toBe("wrapped-org-private-key");

        expect(await repos.org.setup(setup("someone-else"))).toEqual({ ok: false, error: "already-set-up" });
        expect(await repos.staff.count()).toBe(1);
      });

      it("lets exactly one of two simultaneous setups win", async () => {
        const results = await Promise.all([repos.org.setup(setup("one")), repos.org.setup(setup("two"))]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "already-set-up" }]);
        expect(await repos.staff.count()).toBe(1);
      });

      it("rolls back a setup whose admin name is taken", async () => {
        must(await repos.staff.create(staffInput("taken")));
        expect(await repos.org.setup(setup("TAKEN"))).toEqual({ ok: false, error: "username-taken" });
        expect(await repos.org.get()).toBeNull();
        must(await repos.org.setup(setup("free")));
      });

      it("stores, replaces and removes key copies only for existing staff", async () => {
        const admin = must(await repos.staff.create(staffInput("a", "admin")));
        expect(await repos.org.putKeyCopy("ghost" as StaffId, "k", NOW)).toEqual({
          ok: false,
          error: "not-found",
        });
        must(await repos.org.putKeyCopy(admin.id, "k1", NOW));
        must(await repos.org.putKeyCopy(admin.id, "k2", NOW + 1));
        expect(await repos.org.getKeyCopy(admin.id)).toBe("k2");
        await repos.org.removeKeyCopy(admin.id);
        expect(await repos.org.getKeyCopy(admin.id)).toBeNull();
      });
    });

    describe("revocations", () => {
      it("keeps the newest signed list and never un-revokes a key", async () => {
        expect(await repos.revocations.current()).toBeNull();
        expect(await repos.revocations.isRevoked("k1")).toBe(false);
        const first = must(
          await repos.revocations.store({ list: "list-1", issuedAt: 100, revokedKeys: ["k1"], now: NOW }),
        );
        expect(first).toEqual({ list: "list-1", issuedAt: 100, revokedKeys: ["k1"] });
        expect(
          await repos.revocations.store({ list: "old", issuedAt: 100, revokedKeys: [], now: NOW }),
        ).toEqual({
          ok: false,
          error: "stale-revocation-list",
        });
        const second = must(
          await repos.revocations.store({
            list: "list-2",
            issuedAt: 200,
            revokedKeys: ["k2", "k2"],
            now: NOW,
          }),
        );
        expect(second).toEqual({ list: "list-2", issuedAt: 200, revokedKeys: ["k1", "k2"] });
        expect(await repos.revocations.isRevoked("k1")).toBe(true);
        expect(await repos.revocations.isRevoked("k2")).toBe(true);
        expect(await repos.revocations.isRevoked("k3")).toBe(false);
      });
    });

    describe("partners", () => {
      const partner = (id: string, enabled = true) => ({
        id: id as PartnerId,
        name: `Partner ${id}`,
        allowedOrigins: [`https://${id}.example`, "https://shared.example"],
        exitUrl: `https://${id}.example/weather`,
        defaultLanguage: "ur" as const,
        enabled,
        now: NOW,
      });

      it("round-trips, updates, lists origins of enabled partners, and removes", async () => {
        const a = must(await repos.partners.create(partner("alpha")));
        must(await repos.partners.create(partner("beta", false)));
        expect(await repos.partners.create(partner("alpha"))).toEqual({ ok: false, error: "partner-exists" });
        expect(await repos.partners.get(a.id)).toEqual(a);
        expect(a.allowedOrigins).toEqual(["https://alpha.example", "https://shared.example"]);
        expect(await repos.partners.allowedOrigins()).toEqual([
          "https://alpha.example",
          "https://shared.example",
        ]);

        const updated = must(
          await repos.partners.update("beta" as PartnerId, {
            enabled: true,
            allowedOrigins: ["https://b.example"],
          }),
        );
        expect(updated).toMatchObject({
          enabled: true,
          allowedOrigins: ["https://b.example"],
          name: "Partner beta",
        });
        expect(await repos.partners.allowedOrigins()).toEqual([
          "https://alpha.example",
          "https://b.example",
          "https://shared.example",
        ]);
        expect((await repos.partners.list()).map((p) => p.id)).toEqual(["alpha", "beta"]);
        expect(await repos.partners.update("nope" as PartnerId, { name: "x" })).toEqual({
          ok: false,
          error: "not-found",
        });
        must(await repos.partners.remove(a.id));
        expect(await repos.partners.get(a.id)).toBeNull();
        expect(await repos.partners.remove(a.id)).toEqual({ ok: false, error: "not-found" });
      });
    });

    describe("settings and holidays", () => {
      it("returns defaults, stores updates, and falls back when a stored value is corrupt", async () => {
        const defaults = await repos.settings.get();
        expect(defaults.timeZone).toBe("Asia/Karachi");
        expect(defaults.defaultChatLimit).toBe(2);
        expect(defaults.schedule).toHaveLength(7);
        expect(defaults.schedule[0]).toEqual([{ open: "09:00", close: "17:00" }]);

        const schedule = [
          [],
          [
            { open: "10:00", close: "13:00" },
            { open: "14:00", close: "18:00" },
          ],
          [],
          [],
          [],
          [],
          [],
        ] as const;
        const updated = await repos.settings.update({
          timeZone: "Europe/London",
          defaultChatLimit: 3,
          schedule,
        });
        expect(updated).toEqual({ timeZone: "Europe/London", defaultChatLimit: 3, schedule });
        expect(await repos.settings.get()).toEqual(updated);
        expect(await repos.settings.update({ defaultChatLimit: 1 })).toEqual({
          ...updated,
          defaultChatLimit: 1,
        });

        await t.opened.db
          .updateTable("settings")
          .set({ value: "not json" })
          .where("key", "=", "time_zone")
          .execute();
        expect((await repos.settings.get()).timeZone).toBe("Asia/Karachi");
      });

      it("upserts, lists in date order and removes holidays", async () => {
        await repos.settings.putHoliday({ date: "2026-12-25", label: "Quaid Day" });
        await repos.settings.putHoliday({ date: "2026-08-14", label: "Independence" });
        await repos.settings.putHoliday({ date: "2026-12-25", label: "Quaid-e-Azam Day" });
        expect(await repos.settings.listHolidays()).toEqual([
          { date: "2026-08-14", label: "Independence" },
          { date: "2026-12-25", label: "Quaid-e-Azam Day" },
        ]);
        const hours = await repos.settings.openingHours();
        expect(hours.holidays).toHaveLength(2);
        expect(hours.timeZone).toBe("Asia/Karachi");
        must(await repos.settings.removeHoliday("2026-08-14"));
        expect(await repos.settings.removeHoliday("2026-08-14")).toEqual({ ok: false, error: "not-found" });
        expect(await repos.settings.listHolidays()).toEqual([
          { date: "2026-12-25", label: "Quaid-e-Azam Day" },
        ]);
      });
    });

    describe("canned responses and referrals", () => {
      it("round-trips canned responses per language, including Urdu text", async () => {
        const en = await repos.canned.create({
          language: "en",
          title: "Hi",
          body: "Hello",
          tags: ["greeting"],
          now: NOW,
        });
        const ur = await repos.canned.create({
          language: "ur",
          title: "سلام",
          body: "السلام علیکم",
          tags: [],
          now: NOW,
        });
        expect(await repos.canned.get(ur.id)).toEqual(ur);
        expect(await repos.canned.list("ur")).toEqual([ur]);
        expect((await repos.canned.list()).length).toBe(2);
        const updated = must(await repos.canned.update(en.id, { body: "Hello there", tags: ["a", "b"] }));
        expect(updated).toEqual({ ...en, body: "Hello there", tags: ["a", "b"] });
        must(await repos.canned.remove(en.id));
        expect(await repos.canned.get(en.id)).toBeNull();
        expect(await repos.canned.update(en.id, { title: "x" })).toEqual({ ok: false, error: "not-found" });
      });

      it("round-trips referrals and clears the verification flag on edit", async () => {
        const r = await repos.referrals.create({
          name: "Legal aid",
          category: "legal-aid",
          description: "Free advice",
          contact: "042-000",
          howToPrepare: "CNIC copy",
          language: "en",
          now: NOW,
        });
        expect(await repos.referrals.get(r.id)).toEqual(r);
        await t.opened.db.updateTable("referrals").set({ needs_verification: 1 }).execute();
        expect((await repos.referrals.get(r.id))?.needsVerification).toBe(true);
        const edited = must(await repos.referrals.update(r.id, { contact: "042-111" }));
        expect(edited).toEqual({ ...r, contact: "042-111", needsVerification: false });
        expect(await repos.referrals.list("ur")).toEqual([]);
        must(await repos.referrals.remove(r.id));
        expect(await repos.referrals.remove(r.id)).toEqual({ ok: false, error: "not-found" });
      });
    });

    describe("audit log", () => {
      it("lists newest first, pages backwards and deletes old entries", async () => {
        const actor = "admin-id" as StaffId;
        for (let i = 0; i < 5; i++) {
          await repos.audit.record({ at: NOW + i, actor, action: "partner-update", target: `p${i}` });
        }
        await repos.audit.record({ at: NOW + 10, actor: null, action: "login-locked", target: null });
        const page = await repos.audit.list({ limit: 3 });
        expect(page.map((e) => e.target)).toEqual([null, "p4", "p3"]);
        expect(page[1]).toMatchObject({ at: NOW + 4, actor, action: "partner-update" });
        const older = await repos.audit.list({ limit: 10, before: NOW + 3 });
        expect(older.map((e) => e.target)).toEqual(["p2", "p1", "p0"]);
        expect(await repos.audit.deleteBefore(NOW + 2)).toBe(2);
        expect((await repos.audit.list({ limit: 100 })).length).toBe(4);
      });
    });
  });
}
