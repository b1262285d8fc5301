import {
  parse,
  type StaffHello,
  StaffHelloSchema,
  type StaffId,
  shortId,
} from "../../shared/protocol/index.ts";
import type { StaffPresence } from "../state/records.ts";
import { type RelayContext, staffRoom } from "./context.ts";
import { rekeyForTransfer } from "./handover.ts";
import { dropSidesOf } from "./side-channel.ts";

/**
 * One desk per staff member. A console page (tab, window, computer) names itself in the staff
 * socket's handshake; the keys of its chats live in that page only. Two pages of one counselor
 * both answered every assignment (the slower was told its handshake failed and the visitor had
 * left, while the chat ran in the other), and a reloaded page was given the survivors' frames
 * of chats it had no keys for (the survivor was told the counselor was back; nobody answered).
 */

/** The handshake's desk, or null for a client that names none (older consoles, raw clients). */
export function helloOf(auth: unknown): StaffHello | null {
  const parsed = parse(StaffHelloSchema, auth);
  return parsed.ok ? parsed.value : null;
}

/** A reconnection of a desk that a newer one has replaced: refused. */
export const isReplaced = (presence: StaffPresence | null, hello: StaffHello | null): boolean =>
  hello !== null && !hello.fresh && presence?.desk !== undefined && presence.desk !== hello.desk;

/**
 * A fresh desk takes over: every other socket of this member is told `replaced` and closed, and
 * each chat they hold is handed back to them with a new epoch (the survivor sends a fresh key,
 * this desk does the handshake; the old desk's keys open nothing new). A chat on its way to them
 * keeps its sender, who is told if it cannot be received; a handover of theirs that fell through
 * (held, waiting for their decision, which the old desk was showing) or has not reached its
 * colleague yet (waiting for the survivor's key) comes back to them. Their
 * side conversations end ("gone"): their keys lived in the old page too.
 */
export async function takeOverDesk(ctx: RelayContext, me: StaffId, socketId: string): Promise<void> {
  ctx.staff.to(staffRoom(me)).except(socketId).emit("replaced");
  ctx.staff.in(staffRoom(me)).except(socketId).disconnectSockets(true);
  await dropSidesOf(ctx, me);
  let moved = 0;
  for (const s of await ctx.store.heldSessions()) {
    const theirs = s.counselor === me && (s.state === "active" || s.state === "assigned");
    const heldForThem = s.state === "held" && s.previousCounselor === me;
    // A handover of theirs still waiting for the survivor's key: the old page was showing it and
    // would have decided if it fell through; the new page knows nothing of it (its
    // `handover-failed` would reach a page that cannot show it, and the chat would wait held with
    // nobody deciding). It comes back to them like their other chats; they may hand it over again.
    const handingOver =
      s.state === "transferring" &&
      s.previousCounselor === me &&
      s.transferTo !== null &&
      s.transferTo !== me;
    if (!theirs && !heldForThem && !handingOver) continue;
    const from = theirs ? (s.previousCounselor ?? me) : me;
    if (await rekeyForTransfer(ctx, s, me, theirs ? s.transfer : null, from)) moved++;
  }
  if (moved > 0) ctx.log.info({ staff: shortId(me), chats: moved }, "desk taken over");
}
