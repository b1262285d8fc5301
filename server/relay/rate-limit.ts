import type { RelayErrorCode } from "../../shared/protocol/index.ts";
import type { Gate } from "./safe-handler.ts";

/**
 * Token bucket per socket: `burst` events at once, refilled at `perSecond`. Held in the socket's
 * memory only; a flooding socket gets `rate-limited` and cannot slow other sessions.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;
  readonly #burst: number;
  readonly #perMs: number;

  constructor(burst: number, perSecond: number, now: number) {
    this.#tokens = burst;
    this.#burst = burst;
    this.#perMs = perSecond / 1000;
    this.#at = now;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.#at);
    this.#at = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

type Limit = Readonly<{ burst: number; perSecond: number }>;
type Limited = {
  data: { bucket: TokenBucket; acks: TokenBucket };
  emit: (event: "error", e: never) => unknown;
};

export type SocketGates = Readonly<{ gate: Gate; silent: Gate; acks: Gate }>;

/**
 * The two gates of one socket: `gate` for every event but acks (a refusal without a reply goes
 * back as an `error` event), `acks` for end-to-end acks on a bucket of their own (refusals
 * dropped silently), so a receiver acknowledging a busy chat never runs out of frames to send.
 */
export function socketGates(
  socket: Limited,
  limits: Readonly<{ rateLimit: Limit; ackRateLimit: Limit }>,
  now: () => number,
  logger: Gate["logger"],
  describe: (code: RelayErrorCode, payload: unknown) => unknown,
): SocketGates {
  socket.data.bucket = new TokenBucket(limits.rateLimit.burst, limits.rateLimit.perSecond, now());
  socket.data.acks = new TokenBucket(limits.ackRateLimit.burst, limits.ackRateLimit.perSecond, now());
  const gate: Gate = {
    logger,
    admit: () => socket.data.bucket.take(now()),
    onRefuse: (code, payload) => socket.emit("error", describe(code, payload) as never),
  };
  return {
    gate,
    silent: { ...gate, onRefuse: () => {} },
    acks: { logger, admit: () => socket.data.acks.take(now()), onRefuse: () => {} },
  };
}
