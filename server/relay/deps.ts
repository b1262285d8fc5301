import type { Logger } from "pino";
import type { LANGUAGES, Language, PartnerId, StaffId } from "../../shared/protocol/index.ts";
import type { ServiceEvent } from "../../shared/stats/service-level.ts";

/**
 * What the relay needs from the rest of the server. The HTTP/storage side implements it; the
 * relay depends only on this shape, so tests can pass fakes and the relay never touches the
 * database.
 */
export type StaffRole = "counselor" | "supervisor" | "admin";

export type StaffPrincipal = Readonly<{
  id: StaffId;
  displayName: string;
  role: StaffRole;
  /** Simultaneous chats allowed (admin setting; default DEFAULT_CHAT_LIMIT). */
  chatLimit: number;
  /** Languages the member counsels in: auto-assignment routes only these to them. */
  languages: readonly Language[];
  /** Only counselors with a current, unrevoked certificate may take chats. */
  certified: boolean;
}>;

/** A staff socket's principal and the login session it was opened with (its id, never the cookie). */
export type StaffLogin = Readonly<{
  principal: StaffPrincipal;
  loginId: string;
  /**
   * Uses the login again, as an HTTP request does (its idle deadline moves on), and answers
   * whether it is still live. The relay calls it, at most once a minute per socket, when the
   * counselor acts on the socket: a counselor whose only traffic is the socket (one long chat,
   * an afternoon on the desk without a wrap-up) is not logged out for being idle.
   */
  renew?: () => Promise<boolean>;
}>;

export type RelayDeps = Readonly<{
  logger: Logger;
  now: () => number;
  /**
   * Resolves the staff member behind a socket handshake from its Cookie header (the login
   * session), or null. The relay never logs the header.
   */
  authenticateStaff: (cookieHeader: string | undefined) => Promise<StaffLogin | null>;
  /**
   * Re-checked on every assignment: a disabled or revoked account is cut off (`revoked`), and a
   * certificate that expired since the counselor connected gets no more chats (`not-certified`:
   * survivors would refuse it, and the chat would fail in front of them).
   */
  staffRefusal: (id: StaffId) => Promise<"revoked" | "not-certified" | null>;
  /** Whether the helpline is open now for this partner (opening hours and holidays). */
  isOpen: (partner: PartnerId, now: number) => Promise<boolean>;
  partnerExists: (partner: PartnerId) => Promise<boolean>;
  /**
   * Counts one service event (offered, answered, abandoned, quick exit, refused) in the anonymous
   * hourly figures. Called by the node that made the state change, once per event; never
   * awaited and must not throw: a figure lost to a database hiccup never delays or breaks a chat.
   * The event carries no session id (shared/stats/service-level.ts).
   */
  serviceStats: (event: ServiceEvent) => void;
  languages: readonly (typeof LANGUAGES)[number][];
  /** Secret for proof-of-work challenges and rate-limit hashing; random per process by default. */
  secret: Uint8Array;
  /**
   * TRUST_PROXY, as the HTTP side applies it (false when absent): which address the per-address
   * queue bound keys on (server/relay/client-address.ts).
   */
  trustProxy?: boolean | number;
}>;

/** What `attachRelay(io, deps)` (server/relay/index.ts) returns to the process that owns it. */
export type RelayHandle = Readonly<{
  /**
   * Stop taking sessions, tell every connected client (`server-shutdown`), drop all state. With
   * `handOver` (Redis): close the connections only, so clients resume on another node.
   */
  shutdown: () => Promise<void>;
  /** Cut off a staff member now (disabled or revoked): their sockets close, their chats end. */
  disconnectStaff: (id: StaffId) => void;
  /**
   * Threat: a stolen cookie's socket outliving the login it was opened with. Closes, at once,
   * every staff socket opened with these login sessions (ended by logout, a new password,
   * expiry). Their chats get the usual reconnection grace, so the owner's own console, which
   * reconnects with its renewed cookie, keeps them.
   */
  disconnectLogins: (loginIds: readonly string[]) => void;
  /**
   * The shared store lost its data (Redis restarted without persistence): every chat and every
   * login session is gone. Tells this node's clients at once instead of at their next frame:
   * survivors whose session no longer exists get `ended { server-shutdown }` (and a fresh
   * challenge), and staff sockets close, so consoles reconnect and find their login gone.
   */
  storeLost: () => Promise<void>;
  /**
   * Spends a one-time wrap-up token (server/relay/wrapup-tokens.ts): true once, for the staff
   * member it was given to, within a day of the chat's end, on any node sharing the store.
   */
  redeemWrapup: (staff: StaffId, token: string) => Promise<boolean>;
  /**
   * An admin changed the languages a staff member counsels in: their presence (every node's
   * view of it) takes them at once, and waiting chats in a newly added language may reach them.
   */
  setLanguages: (id: StaffId, languages: readonly Language[]) => void;
  /** Counts only, for /metrics and /readyz: never ids. */
  counts: () => Readonly<{ waiting: number; active: number; survivors: number; staff: number }>;
}>;
