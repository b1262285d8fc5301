import type { Server } from "socket.io";
import { IDLE_TIMEOUT_MS, RESUME_GRACE_MS } from "../../shared/protocol/index.ts";
import type { RelayDeps, RelayHandle } from "./deps.ts";

export type { RelayDeps, RelayHandle, StaffPrincipal, StaffRole } from "./deps.ts";

/** Timings tests shorten; production uses the limits.ts defaults. */
export type RelayOptions = Readonly<{
  resumeGraceMs?: number;
  idleTimeoutMs?: number;
  /** Fixed proof-of-work difficulty (leading zero bits), for tests; otherwise it follows the queue. */
  powDifficulty?: number;
}>;

/**
 * Attaches the survivor and staff namespaces to a socket.io server. The caller owns the server
 * (and its http listener); the relay owns only its namespaces, timers and session state.
 */
export function attachRelay(io: Server, deps: RelayDeps, options: RelayOptions = {}): RelayHandle {
  // Placeholder wiring while the relay lands: the signature is the contract.
  void io;
  void deps;
  void (options.resumeGraceMs ?? RESUME_GRACE_MS);
  void (options.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
  return {
    shutdown: async () => {},
    disconnectStaff: () => {},
    counts: () => ({ waiting: 0, active: 0, survivors: 0, staff: 0 }),
  };
}
