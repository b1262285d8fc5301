import type { SessionInfo } from "../../../shared/protocol/http/index.ts";
import type { ErrorCode } from "./errors.ts";

/**
 * The console's lock state. Keys exist only while `unlocked`: every path out of it (logout, idle,
 * expired session, reload) goes through a state that holds nothing, and the adapter terminates
 * the crypto worker on the way.
 */
/**
 * `restarted`: the relay refused the login on reconnecting (a server restart forgets logins).
 * `replaced`: another console page took the desk, and the counselor chose to use this one.
 */
export type LockReason = "start" | "logout" | "idle" | "expired" | "restarted" | "replaced";

export type AuthState =
  | Readonly<{ type: "checking" }>
  | Readonly<{ type: "unavailable"; error: ErrorCode }>
  | Readonly<{ type: "setup"; busy: boolean; error: ErrorCode | null }>
  | Readonly<{ type: "login"; busy: boolean; error: ErrorCode | null; reason: LockReason }>
  | Readonly<{ type: "unlocked"; session: SessionInfo }>;

export type AuthAction =
  | Readonly<{ type: "setup-status"; needed: boolean }>
  | Readonly<{ type: "setup-status-failed"; error: ErrorCode }>
  | Readonly<{ type: "submitted" }>
  | Readonly<{ type: "failed"; error: ErrorCode }>
  | Readonly<{ type: "setup-done" }>
  | Readonly<{ type: "unlocked"; session: SessionInfo }>
  | Readonly<{ type: "profile-updated"; session: SessionInfo }>
  | Readonly<{ type: "locked"; reason: LockReason }>;

export const initialAuth: AuthState = { type: "checking" };

export function authReducer(state: AuthState, action: AuthAction): AuthState {
  switch (action.type) {
    case "setup-status":
      return action.needed
        ? { type: "setup", busy: false, error: null }
        : { type: "login", busy: false, error: null, reason: "start" };
    case "setup-status-failed":
      return { type: "unavailable", error: action.error };
    case "submitted":
      return state.type === "setup" || state.type === "login" ? { ...state, busy: true, error: null } : state;
    case "failed":
      return state.type === "setup" || state.type === "login"
        ? { ...state, busy: false, error: action.error }
        : state;
    case "setup-done":
      return state.type === "setup" ? { type: "login", busy: false, error: null, reason: "start" } : state;
    case "unlocked":
      return state.type === "login" ? { type: "unlocked", session: action.session } : state;
    case "profile-updated":
      return state.type === "unlocked" ? { type: "unlocked", session: action.session } : state;
    case "locked":
      return { type: "login", busy: false, error: null, reason: action.reason };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** Minimum password length: the password alone protects the wrapped org and identity keys. */
export const MIN_PASSWORD_CHARS = 12;

export type PasswordCheck = "ok" | "password-too-short" | "password-mismatch";

export function checkNewPassword(password: string, repeat: string): PasswordCheck {
  if ([...password].length < MIN_PASSWORD_CHARS) return "password-too-short";
  if (password !== repeat) return "password-mismatch";
  return "ok";
}

/** Usernames are sent lower-cased and trimmed (the server's schema accepts only that form). */
export function normalizeUsername(input: string): string {
  return input.trim().toLowerCase();
}
