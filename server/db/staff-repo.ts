import type { Kysely, Selectable } from "kysely";
import { LANGUAGES, type Language, type StaffId } from "../../shared/protocol/index.ts";
import { err, ok, type Result } from "../../shared/result.ts";
import type { StaffRole } from "../relay/deps.ts";
import { flushDeleted } from "./flush-deleted.ts";
import { randomId } from "./random-id.ts";
import type { StaffRecord } from "./records.ts";
import type { StaffRepo } from "./repositories.ts";
import type { Database, StaffTable } from "./schema.ts";
import { isUniqueViolation } from "./unique-violation.ts";

/**
 * Usernames are compared after NFKC normalisation and lower-casing, so "Ayesha", "AYESHA" and a
 * full-width variant are one account (no look-alike second admin).
 */
export function foldUsername(username: string): string {
  return username.normalize("NFKC").trim().toLowerCase();
}

/** Stored JSON array of language codes; anything unreadable or empty means every language. */
function parseLanguages(text: string | null): readonly Language[] | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return null;
    const known = LANGUAGES.filter((l) => value.includes(l));
    return known.length === 0 ? null : known;
  } catch {
    return null;
  }
}

export function toStaffRecord(row: Selectable<StaffTable>): StaffRecord {
  return {
    id: row.id as StaffId,
    username: row.username,
    displayName: row.display_name,
    role: row.role as StaffRole,
    status: row.status === "active" ? "active" : "pending",
    salt: row.salt,
    authHash: row.auth_hash,
    wrappedIdentityKey: row.wrapped_identity_key,
    identityPublicKey: row.identity_public_key,
    certificate: row.certificate,
    certifiedAt: row.certified_at,
    chatLimit: row.chat_limit,
    languages: parseLanguages(row.languages),
    disabled: row.disabled === 1,
    inviteExpiresAt: row.invite_expires_at,
    createdAt: row.created_at,
  };
}

export function createStaffRepo(db: Kysely<Database>): StaffRepo {
  const findById = async (id: StaffId): Promise<StaffRecord | null> => {
    const row = await db.selectFrom("staff").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toStaffRecord(row);
  };

  const insert = async (row: StaffTable): Promise<Result<StaffRecord, "username-taken">> => {
    try {
      await db.insertInto("staff").values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) return err("username-taken");
      throw error;
    }
    return ok(toStaffRecord(row));
  };

  const update = async (
    id: StaffId,
    values: Partial<StaffTable>,
  ): Promise<Result<StaffRecord, "not-found">> => {
    const result = await db.updateTable("staff").set(values).where("id", "=", id).executeTakeFirst();
    if (result.numUpdatedRows === 0n) return err("not-found");
    const record = await findById(id);
    return record === null ? err("not-found") : ok(record);
  };

  /** Would this change leave no enabled, active admin? */
  const removesLastAdmin = async (id: StaffId): Promise<boolean> => {
    const admins = await db
      .selectFrom("staff")
      .select("id")
      .where("role", "=", "admin")
      .where("status", "=", "active")
      .where("disabled", "=", 0)
      .execute();
    return admins.length === 1 && admins[0]?.id === id;
  };

  const blank = {
    salt: null,
    auth_hash: null,
    wrapped_identity_key: null,
    identity_public_key: null,
    certificate: null,
    certified_at: null,
    chat_limit: null,
    languages: null,
    disabled: 0,
    invite_code_hash: null,
    invite_expires_at: null,
  } as const;

  return {
    create: (input) =>
      insert({
        ...blank,
        id: randomId(),
        username: foldUsername(input.username),
        display_name: input.displayName,
        role: input.role,
        status: "active",
        salt: input.salt,
        auth_hash: input.authHash,
        wrapped_identity_key: input.wrappedIdentityKey,
        identity_public_key: input.identityPublicKey,
        created_at: input.now,
      }),

    invite: (input) =>
      insert({
        ...blank,
        id: randomId(),
        username: foldUsername(input.username),
        display_name: input.displayName,
        role: input.role,
        status: "pending",
        invite_code_hash: input.inviteCodeHash,
        invite_expires_at: input.inviteExpiresAt,
        created_at: input.now,
      }),

    async renewInvite(id, inviteCodeHash, inviteExpiresAt) {
      const current = await findById(id);
      if (current === null) return err("not-found");
      if (current.status !== "pending") return err("not-pending");
      return update(id, { invite_code_hash: inviteCodeHash, invite_expires_at: inviteExpiresAt });
    },

    async findByInvite(inviteCodeHash, now) {
      const row = await db
        .selectFrom("staff")
        .selectAll()
        .where("invite_code_hash", "=", inviteCodeHash)
        .where("status", "=", "pending")
        .where("invite_expires_at", ">", now)
        .executeTakeFirst();
      return row === undefined ? null : toStaffRecord(row);
    },

    async completeEnrollment(inviteCodeHash, credentials, now) {
      // The WHERE clause makes the code single-use even when two enrollments race: only one
      // UPDATE can match the still-pending row.
      const pending = await db
        .selectFrom("staff")
        .select("id")
        .where("invite_code_hash", "=", inviteCodeHash)
        .where("status", "=", "pending")
        .where("invite_expires_at", ">", now)
        .executeTakeFirst();
      if (pending === undefined) return err("invalid-invite");
      const result = await db
        .updateTable("staff")
        .set({
          status: "active",
          salt: credentials.salt,
          auth_hash: credentials.authHash,
          wrapped_identity_key: credentials.wrappedIdentityKey,
          identity_public_key: credentials.identityPublicKey,
          invite_code_hash: null,
          invite_expires_at: null,
        })
        .where("id", "=", pending.id)
        .where("invite_code_hash", "=", inviteCodeHash)
        .where("status", "=", "pending")
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return err("invalid-invite");
      const record = await findById(pending.id as StaffId);
      return record === null ? err("invalid-invite") : ok(record);
    },

    findById,

    async findByUsername(username) {
      const row = await db
        .selectFrom("staff")
        .selectAll()
        .where("username", "=", foldUsername(username))
        .executeTakeFirst();
      return row === undefined ? null : toStaffRecord(row);
    },

    async list() {
      const rows = await db.selectFrom("staff").selectAll().orderBy("username").execute();
      return rows.map(toStaffRecord);
    },

    async count() {
      const row = await db
        .selectFrom("staff")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async setRole(id, role) {
      if (role !== "admin" && (await removesLastAdmin(id))) return err("last-admin");
      return update(id, { role });
    },

    async setDisabled(id, disabled) {
      if (disabled && (await removesLastAdmin(id))) return err("last-admin");
      return update(id, { disabled: disabled ? 1 : 0 });
    },

    setDisplayName: (id, displayName) => update(id, { display_name: displayName }),
    setChatLimit: (id, chatLimit) => update(id, { chat_limit: chatLimit }),
    setLanguages: (id, languages) =>
      update(id, {
        languages: languages === null ? null : JSON.stringify(LANGUAGES.filter((l) => languages.includes(l))),
      }),

    async setCertificate(id, certificate, certifiedAt) {
      const current = await findById(id);
      if (current === null) return err("not-found");
      if (current.status !== "active" || current.identityPublicKey === null) return err("not-enrolled");
      return update(id, { certificate, certified_at: certifiedAt });
    },

    clearCertificate: (id) => update(id, { certificate: null, certified_at: null }),

    async changePassword(id, change) {
      const result = await update(id, {
        salt: change.salt,
        auth_hash: change.authHash,
        wrapped_identity_key: change.wrappedIdentityKey,
      });
      await flushDeleted(db);
      return result;
    },

    async remove(id) {
      if (await removesLastAdmin(id)) return err("last-admin");
      const result = await db.deleteFrom("staff").where("id", "=", id).executeTakeFirst();
      if (result.numDeletedRows === 0n) return err("not-found");
      await flushDeleted(db);
      return ok(undefined);
    },
  };
}
