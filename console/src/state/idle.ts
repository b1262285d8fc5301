/**
 * Idle lock: an unattended console holds decrypted chats and unwrapped keys, so after this long
 * without input it locks (keys wiped, worker terminated) and asks for the password again.
 */
export const IDLE_LOCK_MS = 15 * 60_000;
/** Warn this long before locking so a counselor mid-thought can stay. */
export const IDLE_WARNING_MS = 60_000;

export type IdleVerdict =
  | Readonly<{ type: "active"; remainingMs: number }>
  | Readonly<{ type: "warning"; remainingMs: number }>
  | Readonly<{ type: "lock" }>;

export function idleVerdict(lastActivityAt: number, now: number, timeoutMs = IDLE_LOCK_MS): IdleVerdict {
  const remainingMs = lastActivityAt + timeoutMs - now;
  if (remainingMs <= 0) return { type: "lock" };
  if (remainingMs <= IDLE_WARNING_MS) return { type: "warning", remainingMs };
  return { type: "active", remainingMs };
}
