/** Error codes are the API: clients map them to words in their own catalogues. */
export const RELAY_ERROR_CODES = [
  "bad-request",
  "unsupported-version",
  "pow-required",
  "pow-invalid",
  "pow-expired",
  "closed",
  "queue-full",
  "rate-limited",
  "frame-too-large",
  "stale-epoch",
  "peer-offline",
  "not-your-session",
  "unknown-session",
  "bad-state",
  "resume-failed",
  "chat-limit",
  "not-available",
  "no-one-waiting",
  "not-certified",
  "revoked",
  "unauthenticated",
  "forbidden",
  "shutting-down",
  "internal",
] as const;

export type RelayErrorCode = (typeof RELAY_ERROR_CODES)[number];

export function isRelayErrorCode(value: unknown): value is RelayErrorCode {
  return typeof value === "string" && (RELAY_ERROR_CODES as readonly string[]).includes(value);
}
