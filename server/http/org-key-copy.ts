import type { StaffId } from "../../shared/protocol/index.ts";
import type { Repositories } from "../db/repositories.ts";

/**
 * One row per admin in `org_key_copies` holds either the admin's own wrapped copy of the org key
 * or, until the admin next logs in, a copy another admin sealed to its identity key. The sealed
 * one is stored with a prefix that base64url never contains, so the two cannot be confused and
 * a sealed copy is never handed out as `wrappedOrgKey`.
 */
const SEALED_PREFIX = "sealed.";

export type OrgKeyCopy =
  | Readonly<{ type: "wrapped"; wrappedOrgKey: string }>
  | Readonly<{ type: "sealed"; sealed: string }>;

export async function readOrgKeyCopy(repos: Repositories, staffId: StaffId): Promise<OrgKeyCopy | null> {
  const stored = await repos.org.getKeyCopy(staffId);
  if (stored === null) return null;
  return stored.startsWith(SEALED_PREFIX)
    ? { type: "sealed", sealed: stored.slice(SEALED_PREFIX.length) }
    : { type: "wrapped", wrappedOrgKey: stored };
}

export async function putSealedOrgKey(repos: Repositories, staffId: StaffId, sealed: string, now: number) {
  return repos.org.putKeyCopy(staffId, `${SEALED_PREFIX}${sealed}`, now);
}
