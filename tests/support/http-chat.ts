import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import {
  type Assigned,
  type Reply,
  STAFF_CLIENT_OPTIONS,
  STAFF_NAMESPACE,
  type WrapupToken,
} from "../../shared/protocol/index.ts";
import { TEST_ORIGIN } from "./http-server.ts";
import { connected, joinAsSurvivor, request, type StaffClient } from "./relay-clients.ts";

/** A staff socket as the console opens it: login cookie and the helpline's Origin. */
export function consoleSocket(url: string, cookie?: string, origin: string = TEST_ORIGIN): StaffClient {
  return io(`${url}${STAFF_NAMESPACE}`, {
    ...STAFF_CLIENT_OPTIONS,
    parser: msgpackParser,
    forceNew: true,
    reconnection: false,
    extraHeaders: { origin, ...(cookie ? { cookie } : {}) },
  });
}

/**
 * A real chat on a real server (createRelay): a survivor joins, this counselor (connected, away)
 * takes it, then ends it. Resolves with the one-time wrap-up token of the `leave` reply. The
 * helpline must be open at the server's clock, and no other counselor available (who would be
 * given the chat first).
 */
export async function endedChatToken(url: string, cookie: string): Promise<WrapupToken> {
  const staff = consoleSocket(url, cookie);
  await connected(staff as Socket);
  const survivor = await joinAsSurvivor(url, { partner: "demo", language: "en" });
  try {
    const { sessionId } = survivor.queued;
    const taken = await request<Reply<{ assigned: Assigned }>>(staff as Socket, "take", { sessionId });
    if (!taken.ok) throw new Error(`take refused: ${taken.error}`);
    const left = await request<Reply<{ wrapup?: WrapupToken }>>(staff as Socket, "leave", {
      sessionId,
      reason: "ended",
    });
    if (!left.ok || !left.wrapup) throw new Error("no wrap-up token");
    return left.wrapup;
  } finally {
    staff.close();
    survivor.socket.close();
  }
}
