import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { PartnerId } from "../../shared/protocol/index.ts";
import type { NewAuditEntry, WrapupInput } from "../../server/db/index.ts";
import { SERVICE_COUNTERS, type ServiceEvent } from "../../shared/stats/service-level.ts";
import { openTestDatabase, type TestDatabase } from "../support/db-fixture.ts";

const NOW = Date.UTC(2026, 10, 28, 6, 0);

/** Every byte SQLite keeps on disk for this database: the file, its WAL and shared memory. */
function diskBytes(file: string): Buffer {
  return Buffer.concat(
    [file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter(existsSync).map((f) => readFileSync(f)),
  );
}

function contains(haystack: Buffer, needle: string): boolean {
  return haystack.includes(Buffer.from(needle, "utf8")) || haystack.includes(Buffer.from(needle, "utf16le"));
}

describe("storage canary (SQLite file bytes)", () => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it("never writes a survivor's words, and zeroes what it deletes", async () => {
    t = await openTestDatabase("sqlite");
    const file = t.file;
    if (file === null) throw new Error("SQLite fixture has a file");
    const { repos } = t;
    const tag = randomBytes(6).toString("hex");
    // Only ever a survivor's message: offered to storage in every extra field a careless
    // implementation might copy, never in a field it is meant to store.
    const SURVIVOR = `survivor-said-${tag}-please-help`;
    // Stored, then deleted or overwritten: must not survive on disk.
    const DELETED = `deleted-${tag}`;
    // Stored and kept: proves the scan reads the right bytes in the right encoding.
    const KEPT = `kept-${tag}-سہارا`;

    // Everything the server stores, through the repositories.
    const setup = await repos.org.setup({
      publicKey: `org-pub-${tag}`,
      admin: {
        username: "admin",
        displayName: "Admin",
        salt: "c2FsdA",
        authHash: "scrypt$hash",
        wrappedIdentityKey: "wik",
        identityPublicKey: "ipk",
      },
      wrappedOrgKey: "wok",
      now: NOW,
    });
    if (!setup.ok) throw new Error(setup.error);
    const counselor = await repos.staff.create({
      username: "counselor",
      displayName: "Counselor",
      role: "counselor",
      salt: "s",
      authHash: "h",
      wrappedIdentityKey: `${DELETED}-old-wrapped-identity-key`,
      identityPublicKey: "pk",
      now: NOW,
    });
    if (!counselor.ok) throw new Error(counselor.error);
    await repos.staff.changePassword(counselor.value.id, {
      salt: "s2",
      authHash: "h2",
      wrappedIdentityKey: "new-wik",
    });
    await repos.staff.setCertificate(counselor.value.id, "certificate", NOW);
    const leaver = await repos.staff.create({
      username: "leaver",
      displayName: `${DELETED}-leaver`,
      role: "admin",
      salt: "s",
      authHash: `${DELETED}-hash`,
      wrappedIdentityKey: `${DELETED}-wik`,
      identityPublicKey: "pk2",
      now: NOW,
    });
    if (!leaver.ok) throw new Error(leaver.error);
    await repos.org.putKeyCopy(leaver.value.id, `${DELETED}-org-key-copy`, NOW);
    await repos.revocations.store({ list: "signed-list", issuedAt: NOW, revokedKeys: ["pk-old"], now: NOW });
    await repos.partners.create({
      id: "ngo" as PartnerId,
      name: "NGO",
      allowedOrigins: ["https://ngo.example"],
      exitUrl: "https://ngo.example/weather",
      defaultLanguage: "ur",
      enabled: true,
      now: NOW,
    });
    await repos.partners.create({
      id: "gone" as PartnerId,
      name: `${DELETED}-partner`,
      allowedOrigins: [],
      exitUrl: "https://x.example",
      defaultLanguage: "en",
      enabled: true,
      now: NOW,
    });
    await repos.settings.update({ timeZone: "Asia/Karachi", defaultChatLimit: 3 });
    await repos.settings.putHoliday({ date: "2026-12-25", label: "Quaid-e-Azam Day" });
    await repos.settings.putHoliday({ date: "2026-08-14", label: `${DELETED}-holiday` });
    await repos.canned.create({ language: "ur", title: "kept", body: KEPT, tags: [], now: NOW });
    const doomed = await repos.canned.create({
      language: "en",
      title: "x",
      body: `${DELETED}-canned`,
      tags: [],
      now: NOW,
    });
    const referral = await repos.referrals.create({
      name: `${DELETED}-referral`,
      category: "other",
      description: "d",
      contact: "c",
      howToPrepare: "p",
      language: "en",
      now: NOW,
    });

    const wrapup = {
      at: NOW,
      timeZone: "Asia/Karachi",
      durationMs: 1_200_000,
      partner: "ngo" as PartnerId,
      language: "ur",
      platform: "whatsapp",
      harassmentTypes: ["blackmail"],
      outcomes: [],
      followUp: false,
      callerType: "family",
      region: null,
      gender: "female",
      referrals: ["law-enforcement"],
      difficult: true,
      // Not part of WrapupInput: a repository that spread or serialised its input would store these.
      message: SURVIVOR,
      sessionId: SURVIVOR,
      counselorId: counselor.value.id,
    } as const satisfies WrapupInput & Record<string, unknown>;
    await repos.stats.record(wrapup);
    await repos.stats.record({ ...wrapup, at: NOW - 800 * 86_400_000, region: `${DELETED}-region` });
    const audit = {
      at: NOW,
      actor: setup.value.admin.id,
      action: "staff-certify",
      target: counselor.value.id,
      detail: SURVIVOR,
    } as const satisfies NewAuditEntry & Record<string, unknown>;
    await repos.audit.record(audit);
    await repos.audit.record({
      at: NOW - 800 * 86_400_000,
      actor: null,
      action: "login-locked",
      target: `${DELETED}-audit`,
    });

    // Service figures: events as the relay reports them, with what a careless relay might add.
    const careless = {
      sessionId: SURVIVOR,
      message: SURVIVOR,
      partner: SURVIVOR,
      counselorId: counselor.value.id,
    };
    for (const event of [
      { type: "offered" },
      { type: "answered", waitMs: 95_000 },
      { type: "abandoned", waitMs: 400_000 },
      { type: "quick-exit" },
      { type: "refused", reason: "closed" },
      { type: "refused", reason: "full" },
    ] as const) {
      await repos.service.count({ ...event, ...careless } as ServiceEvent, NOW, "Asia/Karachi");
    }
    await repos.service.count({ type: "offered" }, NOW - 800 * 86_400_000, "Asia/Karachi");
    // Aggregate-only by construction: the day, the hour or the bucket, and counts.
    for (const [table, allowed] of [
      ["service_hours", ["day", "hour", ...SERVICE_COUNTERS]],
      ["service_waits", ["day", "outcome", "bucket", "n"]],
    ] as const) {
      const meta = (await t.opened.db.introspection.getTables()).find((x) => x.name === table);
      expect(meta?.columns.map((c) => c.name).sort()).toEqual([...allowed].sort());
    }

    // Deletions: staff member (and key copy), partner, holiday, canned response, referral,
    // and retention purges of old statistics and audit lines.
    expect((await repos.staff.remove(leaver.value.id)).ok).toBe(true);
    expect((await repos.partners.remove("gone" as PartnerId)).ok).toBe(true);
    expect((await repos.settings.removeHoliday("2026-08-14")).ok).toBe(true);
    expect((await repos.canned.remove(doomed.id)).ok).toBe(true);
    expect((await repos.referrals.remove(referral.id)).ok).toBe(true);
    expect(await repos.stats.deleteBefore("2026-01-01")).toBe(1);
    expect(await repos.service.deleteBefore("2026-01-01")).toBe(1);
    expect(await repos.audit.deleteBefore(NOW - 86_400_000)).toBe(1);

    // While the server is still running (WAL in use) and after it has closed.
    for (const phase of ["open", "closed"] as const) {
      if (phase === "closed") await t.opened.close();
      const bytes = diskBytes(file);
      expect(contains(bytes, KEPT), `kept canary missing (${phase})`).toBe(true);
      expect(contains(bytes, SURVIVOR), `survivor canary on disk (${phase})`).toBe(false);
      expect(contains(bytes, DELETED), `deleted data lingers on disk (${phase})`).toBe(false);
    }
  });
});
