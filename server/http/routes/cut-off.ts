import type { StaffRecord } from "../../db/records.ts";
import type { HttpContext } from "../context.ts";

/** Ends a member's login sessions and relay connections at once (disabled, revoked). */
export async function cutOff(ctx: HttpContext, record: StaffRecord): Promise<void> {
  ctx.relay().disconnectLogins(await ctx.sessions.deleteStaff(record.id));
  ctx.relay().disconnectStaff(record.id);
}

/** Ends one login session and, at once, every relay socket that was opened with it. */
export async function endLogin(ctx: HttpContext, token: string): Promise<void> {
  const id = await ctx.sessions.delete(token);
  if (id !== null) ctx.relay().disconnectLogins([id]);
}

/** Identity keys on the current revocation list. */
export async function revokedKeys(ctx: HttpContext): Promise<ReadonlySet<string>> {
  return new Set((await ctx.repos.revocations.current())?.revokedKeys ?? []);
}
