import { randomBytes, timingSafeEqual } from "node:crypto";
import { readCookie, sessionCookie } from "./cookies.ts";
import { keyedHash } from "./keyed-hash.ts";

/**
 * Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): after a
 * correct login the browser gets a cookie that names this username on this device, MACed under
 * the process secret. A later login that presents it is counted against that device alone
 * (server/auth/login-limiter.ts), so an attacker's failures elsewhere never lock out a
 * counselor on their usual computer. It grants nothing by itself: the password is still checked.
 * The value is random, holds no name, and is kept only on staff computers, never a survivor's.
 */
const NONCE_BYTES = 16;
const MAC_BYTES = 16;
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 86_400;

export function deviceCookieName(secure: boolean): string {
  return secure ? "__Host-sahara-device" : "sahara-device";
}

function mac(secret: Uint8Array, username: string, nonce: Buffer): Buffer {
  return keyedHash(secret, "device-cookie", username, nonce.toString("base64url")).subarray(0, MAC_BYTES);
}

export function newDeviceCookie(secret: Uint8Array, username: string, secure: boolean): string {
  const nonce = randomBytes(NONCE_BYTES);
  const value = Buffer.concat([nonce, mac(secret, username, nonce)]).toString("base64url");
  return sessionCookie(deviceCookieName(secure), value, secure, DEVICE_COOKIE_MAX_AGE_S);
}

/** The device id (its nonce) when the Cookie header holds a valid device cookie for this username. */
export function knownDevice(
  cookieHeader: string | undefined,
  secret: Uint8Array,
  username: string,
  secure: boolean,
): string | null {
  const value = readCookie(cookieHeader, deviceCookieName(secure));
  if (!value) return null;
  const raw = Buffer.from(value, "base64url");
  if (raw.byteLength !== NONCE_BYTES + MAC_BYTES) return null;
  const nonce = raw.subarray(0, NONCE_BYTES);
  const expected = mac(secret, username, nonce);
  return timingSafeEqual(raw.subarray(NONCE_BYTES), expected) ? nonce.toString("base64url") : null;
}
