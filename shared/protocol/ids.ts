import * as v from "valibot";
import { MAX_PARTNER_ID_CHARS, MAX_STAFF_ID_CHARS, RESUME_TOKEN_CHARS, SESSION_ID_CHARS } from "./limits.ts";

/**
 * Branded ids are minted only by these schemas, so a string from the wire cannot be used as an
 * id without passing through validation first.
 */
const base64url = /^[A-Za-z0-9_-]+$/;
const slug = /^[a-z0-9][a-z0-9-]*$/;

export const SessionIdSchema = v.pipe(
  v.string(),
  v.length(SESSION_ID_CHARS),
  v.regex(base64url),
  v.brand("SessionId"),
);
export type SessionId = v.InferOutput<typeof SessionIdSchema>;

export const ResumeTokenSchema = v.pipe(
  v.string(),
  v.length(RESUME_TOKEN_CHARS),
  v.regex(base64url),
  v.brand("ResumeToken"),
);
export type ResumeToken = v.InferOutput<typeof ResumeTokenSchema>;

/**
 * One-time wrap-up token (32 random bytes, base64url, like a resume token): the relay gives it to
 * the counselor whose chat ended; `POST /api/wrapups` needs and spends it.
 */
export const WrapupTokenSchema = v.pipe(
  v.string(),
  v.length(RESUME_TOKEN_CHARS),
  v.regex(base64url),
  v.brand("WrapupToken"),
);
export type WrapupToken = v.InferOutput<typeof WrapupTokenSchema>;

export const PartnerIdSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(MAX_PARTNER_ID_CHARS),
  v.regex(slug),
  v.brand("PartnerId"),
);
export type PartnerId = v.InferOutput<typeof PartnerIdSchema>;

export const StaffIdSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(MAX_STAFF_ID_CHARS),
  v.regex(base64url),
  v.brand("StaffId"),
);
export type StaffId = v.InferOutput<typeof StaffIdSchema>;

/**
 * One console page's desk (16 random bytes, base64url, 22 characters): made when the console
 * unlocks, sent in the staff socket's handshake (`auth`), gone with the page. Names no one.
 */
export const DeskIdSchema = v.pipe(
  v.string(),
  v.length(SESSION_ID_CHARS),
  v.regex(base64url),
  v.brand("DeskId"),
);
export type DeskId = v.InferOutput<typeof DeskIdSchema>;

/** Ids in logs appear only shortened: enough to correlate lines, too little to identify. */
export function shortId(id: string): string {
  return id.length <= 6 ? id : `${id.slice(0, 6)}…`;
}
