import { createHash, randomBytes } from "node:crypto";
import type { StaffId, WrapupToken } from "../../shared/protocol/index.ts";
import type { RelayStore } from "../state/store.ts";

/**
 * One chat, one wrap-up. Threat: a counselor (or a stolen login) filing any number of wrap-ups
 * with no chat behind them, skewing the helpline's statistics. When a chat ends, the relay gives
 * each counselor it tells a fresh random token; `POST /api/wrapups` spends it.
 *
 * The store keeps only the token's SHA-256 under the counselor's id, with an expiry: never the
 * session id, so the stored token says nothing about which chat it came from, and a store dump
 * cannot be replayed (the token itself has 256 bits, so a plain hash is enough).
 */
export const WRAPUP_TOKEN_TTL_MS = 24 * 60 * 60_000;

export const wrapupTokenHash = (token: string): string =>
  createHash("sha256").update(token).digest("base64url");

/** A new token for this counselor, or null if the store refused it (full). */
export async function issueWrapupToken(
  store: RelayStore,
  staff: StaffId,
  now: number,
): Promise<WrapupToken | null> {
  const token = randomBytes(32).toString("base64url") as WrapupToken;
  return (await store.issueWrapup(staff, wrapupTokenHash(token), now + WRAPUP_TOKEN_TTL_MS)) ? token : null;
}

/** True once per token, and only for the counselor it was given to, before it expires. */
export function redeemWrapupToken(store: RelayStore, staff: StaffId, token: string): Promise<boolean> {
  return store.redeemWrapup(staff, wrapupTokenHash(token));
}
