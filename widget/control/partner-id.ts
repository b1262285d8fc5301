import type { PartnerId } from "../../shared/protocol/ids.ts";
import { MAX_PARTNER_ID_CHARS } from "../../shared/protocol/limits.ts";

/**
 * The loader checks partner ids without valibot to stay within its 5 KB budget. Same rule as
 * `PartnerIdSchema` in shared/protocol/ids.ts; a test compares the two on many inputs.
 */
const SLUG = /^[a-z0-9][a-z0-9-]*$/;

export function isPartnerId(value: unknown): value is PartnerId {
  return typeof value === "string" && value.length <= MAX_PARTNER_ID_CHARS && SLUG.test(value);
}
