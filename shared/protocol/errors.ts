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
  "target-offline",
  "target-away",
  "target-on-break",
  "target-full",
  "target-unavailable",
  "not-certified",
  "revoked",
  "unauthenticated",
  "forbidden",
  "shutting-down",
  "internal",
] as const;

export type RelayErrorCode = (typeof RELAY_ERROR_CODES)[number];

/** Why a handover to a colleague was refused or fell through: the sender keeps the chat. */
export const TRANSFER_REFUSALS = [
  "target-offline",
  "target-away",
  "target-on-break",
  "target-full",
  "target-unavailable",
] as const satisfies readonly RelayErrorCode[];
export type TransferRefusal = (typeof TRANSFER_REFUSALS)[number];

export function isRelayErrorCode(value: unknown): value is RelayErrorCode {
  return typeof value === "string" && (RELAY_ERROR_CODES as readonly string[]).includes(value);
}
