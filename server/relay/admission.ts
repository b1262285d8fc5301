import { admissionDifficulty } from "../../shared/pow/index.ts";
import { MAX_WAITING_PER_CLIENT, type SessionId } from "../../shared/protocol/index.ts";
import { keyedHash } from "../auth/keyed-hash.ts";
import type { RelayStore } from "../state/store.ts";
import { addressGroup } from "./client-address.ts";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * Who may join the queue. Threat: one machine (or a few) filling the queue with chats nobody is
 * behind, so genuine survivors get `queue-full`. Three defences:
 *
 * - difficulty follows the rate of join attempts, refused ones included, as well as the queue;
 * - one client address (an IPv6 client's whole /64, addressGroup) holds at most
 *   MAX_WAITING_PER_CLIENT queue places. The address is turned
 *   into a keyed hash that rotates daily (as the login limiter does); only that key goes to the
 *   store, beside the session ids holding places, until the places are freed: never the address;
 * - waiting sessions must be kept alive by the frame (`waiting`), see sweep.ts.
 *
 * Both counts live in the relay store (server/state/store.ts), so with REDIS_URL every node sees
 * the same join rate and the same places per client (nodes must share the secret, which keys the
 * client hash). The join rate is a sliding minute over per-minute counters; the difficulty reads
 * the last value fetched (refreshed on every challenge and every join), so it lags by at most one
 * challenge. Limits: survivors behind one carrier-grade NAT share an address: a fifth survivor on
 * the same address waits for a place to free, answered `queue-full`.
 */
export class Admission {
  readonly #secret: Uint8Array;
  readonly #store: RelayStore;
  #rate = 0;
  /** Places this node took: session id to client key, to give them back at once. */
  readonly #local = new Map<SessionId, string>();

  constructor(secret: Uint8Array, store: RelayStore) {
    this.#secret = secret;
    this.#store = store;
  }

  clientKey(address: string | undefined, now: number): string {
    const day = Math.floor(now / DAY_MS).toString();
    return keyedHash(this.#secret, "queue-client", day, addressGroup(address) ?? "unknown")
      .subarray(0, 16)
      .toString("base64url");
  }

  /** Re-reads the shared join rate: this minute plus the part of the last one still in the window. */
  async refresh(now: number): Promise<void> {
    const minute = Math.floor(now / MINUTE_MS);
    const [previous = 0, current = 0] = await this.#store.joinCounts([minute - 1, minute]);
    this.#rate = current + previous * (1 - (now % MINUTE_MS) / MINUTE_MS);
  }

  /** Every redeemed proof counts, whether the join is then accepted or refused. */
  async noteAttempt(now: number): Promise<void> {
    await this.#store.noteJoin(Math.floor(now / MINUTE_MS));
    await this.refresh(now);
  }

  /** Join attempts in about the last minute, all nodes, as last read. */
  joinsPerMinute(): number {
    return this.#rate;
  }

  difficulty(waiting: number): number {
    return admissionDifficulty({ waiting, joinsPerMinute: this.#rate });
  }

  /**
   * Takes a place for `id` if this client holds fewer than `max` places still waiting (places
   * whose session is gone or no longer waiting are given back first, in the same store step, so
   * two nodes cannot both prune and take). `id`'s waiting record must already be written, or
   * another node's `take` would take its place for a stale one. False: none taken.
   */
  async take(key: string, id: SessionId, now: number, max = MAX_WAITING_PER_CLIENT): Promise<boolean> {
    // The key rotates daily, so a place never needs to outlive a day.
    if (!(await this.#store.holdPlace(key, id, max, now + DAY_MS))) return false;
    this.#local.set(id, key);
    return true;
  }

  /** The place is free (assigned, ended, expired). Places another node took are given back by `take`. */
  async release(id: SessionId): Promise<void> {
    const key = this.#local.get(id);
    if (key === undefined) return;
    this.#local.delete(id);
    await this.#store.releasePlace(key, id);
  }

  /** Gives back this node's places whose session is no longer waiting (ended elsewhere, expired). */
  async prune(isWaiting: (id: SessionId) => Promise<boolean>): Promise<void> {
    for (const id of [...this.#local.keys()]) if (!(await isWaiting(id))) await this.release(id);
  }

  heldPlaces(): number {
    return this.#local.size;
  }
}
