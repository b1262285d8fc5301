import type { StaffRecord } from "../../db/records.ts";
import type { HttpContext } from "../context.ts";

/** Ends a member's login sessions and relay connections at once (disabled, revoked). */
export function cutOff(ctx: HttpContext, record: StaffRecord): void {
  ctx.relay().disconnectLogins(ctx.sessions.deleteStaff(record.id));
  ctx.relay().disconnectStaff(record.id);
}

/** Ends one login session and, at once, every relay socket that was opened with it. */
export function endLogin(ctx: HttpContext, token: string): void {
  const id = ctx.sessions.delete(token);
  if (id !== null) ctx.relay().disconnectLogins([id]);
}

/** Identity keys on the current revocation list. */
export async function revokedKeys(ctx: HttpContext): Promise<ReadonlySet<string>> {
  return new Set((await ctx.repos.revocations.current())?.revokedKeys ?? []);
}
