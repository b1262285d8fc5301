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
