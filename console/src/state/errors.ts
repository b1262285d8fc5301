import type { HttpErrorCode } from "../../../shared/protocol/http/index.ts";
import type { RelayErrorCode } from "../../../shared/protocol/index.ts";

/**
 * Every failure the console shows, as a code: HTTP and relay codes from the contract plus the
 * console's own. Catalogues map each to words (a missing one fails to compile).
 */
export const CONSOLE_ERROR_CODES = [
  "network",
  "bad-response",
  "crypto-failed",
  "wrong-password",
  "password-mismatch",
  "password-too-short",
  "outbox-full",
  "not-certified-yet",
] as const;
export type ConsoleErrorCode = (typeof CONSOLE_ERROR_CODES)[number];

export type ErrorCode = HttpErrorCode | RelayErrorCode | ConsoleErrorCode;
