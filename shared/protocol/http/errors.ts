/**
 * Error codes of the HTTP API: every non-2xx JSON response is `{ error: HttpErrorCode }`.
 * Clients map codes to words in their own catalogues.
 */
export const HTTP_ERROR_CODES = [
  /** The body, query or path parameter failed validation. */
  "bad-request",
  /** The body exceeded the size limit. */
  "payload-too-large",
  /** No valid login session. */
  "unauthenticated",
  /** Logged in, but the role does not allow this route. */
  "forbidden",
  /** Missing or wrong `X-CSRF-Token` header, or an `Origin` other than the helpline's. */
  "csrf",
  "not-found",
  /** `POST /api/setup` after setup is done. */
  "already-set-up",
  /** `POST /api/setup` with a setup code other than the one the server printed at start. */
  "invalid-setup-code",
  /** A route that needs the org key before setup. */
  "not-set-up",
  /** Unknown username or wrong authentication key (the two are indistinguishable). */
  "invalid-credentials",
  /** Too many failed logins: wait and try again. */
  "locked-out",
  "rate-limited",
  /** The username is taken (admin invite) . */
  "username-taken",
  /** An invite code that is unknown, used, expired, or for another username. */
  "invalid-invite",
  /** The certificate does not verify against the org key or does not match the account. */
  "bad-certificate",
  /** The revocation list does not verify against the org key. */
  "bad-revocation-list",
  "unknown-partner",
  /** A wrap-up without a live one-time token of this counselor's (none, spent, expired, another's). */
  "invalid-wrapup-token",
  /** The partner id is taken. */
  "partner-exists",
  /** The change would leave no enabled admin (e.g. disabling or demoting the last one). */
  "last-admin",
  /** Pages: the build output is missing (run `npm run build`). */
  "not-built",
  /** The server is shutting down or the database is unreachable. */
  "unavailable",
  "internal",
] as const;

export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export type HttpError = Readonly<{ error: HttpErrorCode }>;

export function isHttpErrorCode(value: unknown): value is HttpErrorCode {
  return typeof value === "string" && (HTTP_ERROR_CODES as readonly string[]).includes(value);
}

/** Header carrying the session's CSRF token on every mutating staff request. */
export const CSRF_HEADER = "X-CSRF-Token";
