import { PUBLIC_KEY_BYTES } from "../../../shared/protocol/limits.ts";

/**
 * The trust anchor: the org's Ed25519 public key, put into the frame page by the server
 * (`<meta name="sahara-org-key">`) or at build time for a separately hosted frame. Returns
 * null when missing or malformed; without it no counselor can be verified, so no chat starts.
 */
export function readOrgKey(doc: Document): Uint8Array | null {
  const value = doc.querySelector<HTMLMetaElement>('meta[name="sahara-org-key"]')?.content ?? "";
  if (!/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const binary = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return bytes.length === PUBLIC_KEY_BYTES ? bytes : null;
}
