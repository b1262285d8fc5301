import type { StaffSummary } from "../../../shared/protocol/http/index.ts";
import type { StaffRecord } from "../../db/records.ts";

/** The admin's view of an account: never its salt, hash or wrapped key. */
export function staffSummary(record: StaffRecord, revokedKeys: ReadonlySet<string>): StaffSummary {
  const state =
    record.status === "pending"
      ? "invited"
      : record.identityPublicKey !== null && revokedKeys.has(record.identityPublicKey)
        ? "revoked"
        : record.certificate !== null
          ? "certified"
          : "enrolled";
  return {
    id: record.id,
    username: record.username,
    displayName: record.displayName,
    role: record.role,
    state,
    disabled: record.disabled,
    chatLimit: record.chatLimit,
    languages: record.languages === null ? null : [...record.languages],
    identityPublicKey: record.identityPublicKey,
    certificate: record.certificate,
    createdAt: record.createdAt,
  };
}
