import { admissionDifficulty } from "../../shared/pow/index.ts";
import { MAX_WAITING_PER_CLIENT, type SessionId } from "../../shared/protocol/index.ts";
import { keyedHash } from "../auth/keyed-hash.ts";

const DAY_MS = 86_400_000;
/** The join rate is a count decayed with this time constant: about "joins in the last minute". */
const RATE_WINDOW_MS = 60_000;

/**
 * Who may join the queue, on this node. Threat: one machine (or a few) filling the queue with
 * chats nobody is behind, so genuine survivors get `queue-full`. Three defences:
 *
 * - difficulty follows the rate of join attempts, refused ones included, as well as the queue;
 * - one client address holds at most MAX_WAITING_PER_CLIENT queue places. The address is turned
 *   into a keyed hash that rotates daily (as the login limiter does) and lives only in this map,
 *   next to the session id, until the place is freed: it is never stored, logged or sent;
 * - waiting sessions must be kept alive by the frame (`waiting`), see sweep.ts.
 *
 * Limits: the bound is per relay node (several nodes let one address hold that many places on
 * each), and survivors behind one carrier-grade NAT share an address: a fifth survivor on the
 * same address waits for a place to free, answered `queue-full`.
 */
export class Admission {
  readonly #secret: Uint8Array;
  #rate = 0;
  #rateAt: number;
  /** Queue places held on this node: session id to client key. */
  readonly #places = new Map<SessionId, string>();

  constructor(secret: Uint8Array, now: number) {
    this.#secret = secret;
    this.#rateAt = now;
  }

  clientKey(address: string | undefined, now: number): string {
    const day = Math.floor(now / DAY_MS).toString();
    return keyedHash(this.#secret, "queue-client", day, address ?? "unknown")
      .subarray(0, 16)
      .toString("base64url");
  }

  #decay(now: number): void {
    const elapsed = Math.max(0, now - this.#rateAt);
    this.#rate *= Math.exp(-elapsed / RATE_WINDOW_MS);
    this.#rateAt = now;
  }

  /** Every redeemed proof counts, whether the join is then accepted or refused. */
  noteAttempt(now: number): void {
    this.#decay(now);
    this.#rate += 1;
  }

  joinsPerMinute(now: number): number {
    this.#decay(now);
    return this.#rate;
  }

  difficulty(waiting: number, now: number): number {
    return admissionDifficulty({ waiting, joinsPerMinute: this.joinsPerMinute(now) });
  }

  /** Whether this client may take one more place, counting only places still waiting. */
  async mayHold(
    key: string,
    isWaiting: (id: SessionId) => Promise<boolean>,
    max = MAX_WAITING_PER_CLIENT,
  ): Promise<boolean> {
    let held = 0;
    for (const [id, k] of this.#places) {
      if (k !== key) continue;
      if (await isWaiting(id)) held++;
      else this.#places.delete(id);
    }
    return held < max;
  }

  hold(id: SessionId, key: string): void {
    this.#places.set(id, key);
  }

  /** The place is free (assigned, ended, expired): the client key goes with it. */
  release(id: SessionId): void {
    this.#places.delete(id);
  }

  /** Drops places whose session is no longer waiting (ended on another node, or expired). */
  async prune(isWaiting: (id: SessionId) => Promise<boolean>): Promise<void> {
    for (const id of [...this.#places.keys()]) if (!(await isWaiting(id))) this.#places.delete(id);
  }

  heldPlaces(): number {
    return this.#places.size;
  }
}
