import type { Logger } from "pino";
import type { RelayDeps, StaffPrincipal } from "../server/relay/deps.ts";
import type { StaffId } from "../shared/protocol/index.ts";

/**
 * The relay's dependencies as the socket benches and their Redis tests run it: any cookie
 * `sid=<id>` is a logged-in counselor `<id>` (both languages, certified, `chatLimit` chats), the
 * helpline is always open and every partner exists. `secret` must be the same on every node of
 * one cluster, as SAHARA_SECRET is (a challenge issued by one node is redeemed on another).
 */
export function cookieStaffDeps(
  options: Readonly<{ logger: Logger; secret: Uint8Array; chatLimit: number }>,
): RelayDeps {
  const principal = (id: string): StaffPrincipal => ({
    id: id as StaffId,
    displayName: id,
    role: "counselor",
    chatLimit: options.chatLimit,
    languages: ["en", "ur"],
    certified: true,
  });
  return {
    logger: options.logger,
    now: Date.now,
    authenticateStaff: async (cookie) =>
      cookie?.startsWith("sid=") ? { principal: principal(cookie.slice(4)), loginId: cookie.slice(4) } : null,
    staffRefusal: async () => null,
    isOpen: async () => true,
    serviceStats: () => {},
    partnerExists: async () => true,
    languages: ["en", "ur"],
    secret: options.secret,
  };
}
