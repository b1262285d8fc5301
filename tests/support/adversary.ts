import { randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import { STAFF_CLIENT_OPTIONS, STAFF_NAMESPACE } from "../../shared/protocol/index.ts";
import type { ApiResponse } from "./http-client.ts";
import { TEST_ORIGIN } from "./http-server.ts";
import { b64 } from "./http-staff.ts";

/**
 * What an outsider holds: raw sockets with whatever cookie they stole, and fetch. Nothing here
 * goes through the console; every request is one an attacker could send by hand.
 */
export function stolenCookieSocket(url: string, cookie: string): Socket {
  return io(`${url}${STAFF_NAMESPACE}`, {
    ...STAFF_CLIENT_OPTIONS,
    parser: msgpackParser,
    forceNew: true,
    reconnection: false,
    extraHeaders: { origin: TEST_ORIGIN, cookie },
  });
}

/** `name=value` of every Set-Cookie of a response, joined for a Cookie header. */
export function allCookies(response: ApiResponse): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .join("; ");
}

/** One Set-Cookie's `name=value` by name, or null. */
export function cookieNamed(response: ApiResponse, name: string): string | null {
  for (const c of response.headers.getSetCookie()) {
    const pair = c.split(";")[0] ?? "";
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return null;
}

export const wrongKey = () => b64(randomBytes(32));
