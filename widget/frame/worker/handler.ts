import {
  type Channel,
  createSurvivorHandshake,
  ready,
  type SurvivorHandshake,
  type VerifiedRevocationList,
  verifyRevocationList,
} from "../../../shared/crypto/index.ts";
import { solve } from "../../../shared/pow/solve.ts";
import { parse } from "../../../shared/protocol/parse.ts";
import { decodePayload, encodePayload } from "../../../shared/protocol/payloads.ts";
import { type FromWorker, type ToWorker, ToWorkerSchema, type WorkerErrorCode } from "./protocol.ts";

/**
 * The crypto worker's logic, separate from the worker glue so tests can drive it directly.
 * It owns every secret of the survivor's side: the ephemeral handshake key and the channel.
 * Wiping zeroes them; the main thread then terminates the worker, because libsodium frees its
 * buffers without zeroing and only the end of the worker's memory really clears them.
 */
export type WorkerPost = (message: FromWorker, transfer?: Transferable[]) => void;

const PROGRESS_INTERVAL_MS = 100;

export function createWorkerHandler(
  post: WorkerPost,
  now: () => number = Date.now,
): (data: unknown) => Promise<void> {
  // A libsodium that could not load (in the frame, its WebAssembly failed to fetch or compile)
  // fails each crypto request as not ready rather than leaving it unanswered.
  const sodiumReady = ready().then(
    () => true,
    () => false,
  );
  let orgPublicKey: Uint8Array | null = null;
  let handshake: SurvivorHandshake | null = null;
  let channel: Channel | null = null;
  let revocations: VerifiedRevocationList | null = null;
  const solving = new Map<number, { aborted: boolean }>();

  const fail = (id: number, code: WorkerErrorCode) => post({ type: "failed", id, code });

  const wipe = () => {
    handshake?.wipe();
    channel?.wipe();
    orgPublicKey?.fill(0);
    handshake = null;
    channel = null;
    orgPublicKey = null;
    revocations = null;
    for (const signal of solving.values()) signal.aborted = true;
  };

  const handle = async (message: ToWorker): Promise<void> => {
    switch (message.type) {
      case "init":
        // The frame's first request: a libsodium that cannot load fails it, and Start says so.
        if (!(await sodiumReady)) return fail(message.id, "not-ready");
        orgPublicKey = message.orgPublicKey.slice();
        return post({ type: "done", id: message.id });
      case "solve": {
        const signal = { aborted: false };
        solving.set(message.id, signal);
        let last = 0;
        const result = await solve(message.challenge, {
          signal,
          // A macrotask between batches lets `cancel-solve` and `wipe` messages in.
          pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
          onProgress: (tried, expected) => {
            if (now() - last < PROGRESS_INTERVAL_MS) return;
            last = now();
            post({ type: "pow-progress", id: message.id, fraction: 1 - Math.exp(-tried / expected) });
          },
        });
        solving.delete(message.id);
        if (result.ok) return post({ type: "solved", id: message.id, nonce: result.value });
        return fail(message.id, result.error === "cancelled" ? "cancelled" : "pow-failed");
      }
      case "cancel-solve": {
        const signal = solving.get(message.id);
        if (signal) signal.aborted = true;
        return;
      }
      case "ack":
        if (channel && channel.epoch === message.epoch) channel.ack(message.seq);
        return;
      case "wipe":
        wipe();
        return post({ type: "done", id: message.id });
      default:
        if (!(await sodiumReady)) return fail(message.id, "not-ready");
        return handleCrypto(message);
    }
  };

  const handleCrypto = (
    message: Exclude<ToWorker, { type: "init" | "solve" | "cancel-solve" | "ack" | "wipe" }>,
  ) => {
    switch (message.type) {
      case "revocations": {
        if (!orgPublicKey) return fail(message.id, "not-ready");
        const verified = verifyRevocationList(message.list, orgPublicKey, message.nowMs);
        if (!verified.ok) return fail(message.id, "bad-revocations");
        // Never replace a newer list with an older one: a relay replaying an old list must not
        // un-revoke anyone.
        if (revocations === null || verified.value.issuedAt >= revocations.issuedAt)
          revocations = verified.value;
        return post({ type: "done", id: message.id });
      }
      case "new-key": {
        handshake?.wipe();
        handshake = createSurvivorHandshake();
        return post({ type: "public-key", id: message.id, publicKey: handshake.publicKey });
      }
      case "complete": {
        if (!handshake) return fail(message.id, "no-handshake");
        if (!orgPublicKey) return fail(message.id, "not-ready");
        const result = handshake.complete(message.handshake, {
          sessionId: message.sessionId,
          epoch: message.epoch,
          orgPublicKey,
          nowMs: message.nowMs,
          ...(revocations ? { revocations } : {}),
        });
        // A failure keeps the handshake: a relay's forgery must not block the genuine accept.
        if (!result.ok) return fail(message.id, "handshake-failed");
        channel?.wipe();
        handshake = null;
        channel = result.value.channel;
        return post({
          type: "channel-ready",
          id: message.id,
          epoch: message.epoch,
          counselorName: result.value.counselor.displayName,
          safetyCode: result.value.safetyCode,
        });
      }
      case "seal": {
        if (!channel) return fail(message.id, "no-channel");
        const bytes = encodePayload(message.payload);
        const sealed = message.final ? channel.close(bytes) : channel.seal(bytes);
        bytes.fill(0);
        if (!sealed.ok) return fail(message.id, "seal-failed");
        return post({
          type: "sealed",
          id: message.id,
          epoch: channel.epoch,
          seq: sealed.value.seq,
          ciphertext: sealed.value.ciphertext,
        });
      }
      case "open": {
        if (!channel) return fail(message.id, "no-channel");
        if (channel.epoch !== message.epoch) return fail(message.id, "stale-epoch");
        const opened = channel.open(message.seq, message.ciphertext);
        if (!opened.ok) return fail(message.id, opened.error === "duplicate" ? "duplicate" : "open-failed");
        const payload = decodePayload(opened.value.payload);
        opened.value.payload.fill(0);
        if (!payload.ok) return fail(message.id, "bad-payload");
        return post({
          type: "opened",
          id: message.id,
          epoch: message.epoch,
          seq: message.seq,
          payload: payload.value,
          final: opened.value.final,
        });
      }
      default: {
        const never: never = message;
        return never;
      }
    }
  };

  return async (data: unknown) => {
    const message = parse(ToWorkerSchema, data);
    if (!message.ok) {
      const id = typeof (data as { id?: unknown } | null)?.id === "number" ? (data as { id: number }).id : 0;
      return fail(id, "bad-request");
    }
    await handle(message.value);
  };
}
