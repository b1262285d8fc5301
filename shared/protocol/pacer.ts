import { FRAME_BURST, FRAMES_PER_SECOND } from "./limits.ts";

/**
 * The client's side of the relay's per-socket frame limit (PROTOCOL.md, "Frames"). Every frame a
 * client sends (new ones, resends after a reconnect, retries) leaves through one pacer per socket:
 *
 * - a token bucket a little below the relay's (FRAME_BURST / FRAMES_PER_SECOND, with room for the
 *   socket's other events), so a resend of everything unacknowledged after a reconnect goes out
 *   at the pace the relay accepts instead of being refused in bulk;
 * - once per key (a frame already waiting is not queued twice), ordered by `order` (the sequence
 *   number): a resend queued after newer frames still leaves before them, because the receiver
 *   takes frames only in order and drops one that comes after a gap;
 * - only while `canSend()` (connected, and resumed for a survivor); `wake()` when that changes;
 * - `refused()` when the relay answered `rate-limited` anyway (its bucket also pays for other
 *   events): nothing leaves for a back-off that doubles with each refusal in a row (0.5 s up to
 *   8 s), then the caller's resend goes out through the pacer again.
 *
 * A `send` callback returns false when the frame no longer needs sending (acknowledged
 * meanwhile); that costs no token.
 */
export const PACED_BURST = Math.max(1, Math.floor(FRAME_BURST * 0.75));
export const PACED_PER_SECOND = FRAMES_PER_SECOND * 0.8;
export const RETRY_BASE_MS = 500;
export const RETRY_MAX_MS = 8000;
/** Refusals further apart than this start the back-off again from its base. */
const RETRY_FORGET_MS = 15_000;

export type PacerClock = Readonly<{
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}>;

const systemClock: PacerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type PacerOptions = Readonly<{
  canSend: () => boolean;
  burst?: number;
  perSecond?: number;
  clock?: PacerClock;
}>;

export class FramePacer {
  readonly #queue: { key: string; order: number; send: () => boolean }[] = [];
  readonly #keys = new Set<string>();
  readonly #canSend: () => boolean;
  readonly #burst: number;
  readonly #perMs: number;
  readonly #clock: PacerClock;
  #tokens: number;
  #at: number;
  #timer: unknown = null;
  #pausedUntil = 0;
  #refusals = 0;
  #lastRefusal = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(options: PacerOptions) {
    this.#canSend = options.canSend;
    this.#burst = options.burst ?? PACED_BURST;
    this.#perMs = (options.perSecond ?? PACED_PER_SECOND) / 1000;
    this.#clock = options.clock ?? systemClock;
    this.#tokens = this.#burst;
    this.#at = this.#clock.now();
  }

  /** Queues a frame (once per key, before any waiting frame of a higher `order`) and sends what the bucket allows now. */
  send(key: string, send: () => boolean, order = Number.POSITIVE_INFINITY): void {
    if (this.#closed || this.#keys.has(key)) return;
    this.#keys.add(key);
    const at = this.#queue.findIndex((item) => item.order > order);
    if (at < 0) this.#queue.push({ key, order, send });
    else this.#queue.splice(at, 0, { key, order, send });
    this.#drain();
  }

  /** The relay refused a frame for rate: pause, longer after each refusal in a row. */
  refused(): void {
    const now = this.#clock.now();
    if (now - this.#lastRefusal > RETRY_FORGET_MS) this.#refusals = 0;
    this.#lastRefusal = now;
    const wait = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** this.#refusals);
    this.#refusals++;
    this.#tokens = 0;
    this.#at = now;
    this.#pausedUntil = Math.max(this.#pausedUntil, now + wait);
    this.#schedule(this.#pausedUntil - now);
  }

  /** How long sending is paused for a refusal (0 when not paused). */
  pausedFor(): number {
    return Math.max(0, this.#pausedUntil - this.#clock.now());
  }

  /** A new connection: the relay's bucket for it starts full. */
  reset(): void {
    this.#tokens = this.#burst;
    this.#at = this.#clock.now();
    this.#drain();
  }

  /** `canSend()` may have become true. */
  wake(): void {
    this.#drain();
  }

  /** Forgets queued frames whose key matches (a chat that ended or moved to a new epoch). */
  drop(matches: (key: string) => boolean): void {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const item = this.#queue[i];
      if (item && matches(item.key)) {
        this.#queue.splice(i, 1);
        this.#keys.delete(item.key);
      }
    }
  }

  /** Frames waiting to leave. */
  get queued(): number {
    return this.#queue.length;
  }

  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#keys.clear();
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #refill(now: number): void {
    this.#tokens = Math.min(this.#burst, this.#tokens + Math.max(0, now - this.#at) * this.#perMs);
    this.#at = now;
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = null;
        this.#drain();
      },
      Math.max(1, Math.ceil(ms)),
    );
  }

  #drain(): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    if (now < this.#pausedUntil) {
      this.#schedule(this.#pausedUntil - now);
      return;
    }
    this.#refill(now);
    while (this.#queue.length > 0 && this.#canSend()) {
      if (this.#tokens < 1) {
        this.#schedule((1 - this.#tokens) / this.#perMs);
        return;
      }
      const item = this.#queue.shift();
      if (!item) break;
      this.#keys.delete(item.key);
      if (item.send()) this.#tokens -= 1;
    }
  }
}
