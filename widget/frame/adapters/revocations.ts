import { API } from "../../../shared/protocol/http/routes.ts";
import { RevocationsResponseSchema } from "../../../shared/protocol/http/staff.ts";
import { parse } from "../../../shared/protocol/parse.ts";

/**
 * Loads the org's signed revocation list (`GET /api/revocations`, public). The bytes are only
 * transported here; the crypto worker checks the org signature, so a relay or a proxy that
 * alters the list gains nothing but a refusal to use it.
 *
 * `null` means "no usable list" (none issued yet, network failure, malformed answer). The
 * caller then relies on certificate validity alone: certificates are short-lived, so a revoked
 * counselor is refused once their certificate expires, and a hostile server could withhold the
 * list just as well by answering `{list: null}` — refusing to chat without a list would only
 * turn a network hiccup into a survivor turned away, with no security gained.
 */
export async function fetchRevocations(): Promise<Uint8Array | null> {
  try {
    const response = await fetch(API.revocations, {
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    if (!response.ok) return null;
    const parsed = parse(RevocationsResponseSchema, await response.json());
    if (!parsed.ok || parsed.value.list === null) return null;
    return decodeBase64url(parsed.value.list);
  } catch {
    return null;
  }
}

/** The schema has already checked the alphabet and length; `atob` keeps libsodium out of the main bundle. */
export function decodeBase64url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
