import type { Payload } from "../../../shared/protocol/payloads.ts";
import type { SessionId } from "../../../shared/protocol/ids.ts";
import type { FromWorker, ToWorker, WorkerErrorCode } from "./protocol.ts";

/** The part of `Worker` the client uses, so tests can pass an in-process pair. */
export type WorkerLike = Readonly<{
  postMessage: (message: unknown) => void;
  addEventListener: (type: "message", listener: (event: MessageEvent) => void) => void;
  terminate: () => void;
}>;

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: WorkerErrorCode | "terminated" };

type Reply<T extends FromWorker["type"]> = Extract<FromWorker, { type: T }>;
type Pending = Readonly<{ resolve: (reply: FromWorker) => void; onProgress?: (fraction: number) => void }>;

export type CryptoClient = Readonly<{
  init: (orgPublicKey: Uint8Array) => Promise<Outcome<null>>;
  solve: (challenge: string, onProgress: (fraction: number) => void) => Promise<Outcome<Uint8Array>>;
  /** Hands the signed revocation list to the worker, which verifies it against the org key. */
  revocations: (list: Uint8Array, nowMs: number) => Promise<Outcome<null>>;
  newKey: () => Promise<Outcome<Uint8Array>>;
  complete: (
    sessionId: SessionId,
    epoch: number,
    handshake: Uint8Array,
    nowMs: number,
  ) => Promise<Outcome<Omit<Reply<"channel-ready">, "type" | "id">>>;
  seal: (payload: Payload, final?: boolean) => Promise<Outcome<Omit<Reply<"sealed">, "type" | "id">>>;
  open: (
    epoch: number,
    seq: number,
    ciphertext: Uint8Array,
  ) => Promise<Outcome<Omit<Reply<"opened">, "type" | "id">>>;
  ack: (epoch: number, seq: number) => void;
  /** Zeroes keys in the worker (bounded wait), then terminates it. Idempotent. */
  wipe: (maxWaitMs?: number) => Promise<void>;
  /** For `pagehide`: asks for the zeroing and terminates at once (a frozen page runs no timer). */
  wipeNow: () => void;
}>;

/**
 * Request/response over the worker's message port. Replies are parsed with the same schema the
 * worker uses (reply-check.ts, loaded with the crypto worker's chunk, so valibot is not in the
 * frame's entry; replies wait for it in order); an unparseable reply is dropped (its request
 * then never resolves and is cleared by the wipe).
 */
export function createCryptoClient(worker: WorkerLike): CryptoClient {
  let nextId = 1;
  let terminated = false;
  const pending = new Map<number, Pending>();
  const checker = import("./reply-check.ts");
  let replies: Promise<unknown> = Promise.resolve();

  worker.addEventListener("message", (event) => {
    const data: unknown = event.data;
    replies = replies
      .then(() => checker)
      .then(
        ({ checkReply }) => handle(checkReply(data)),
        () => undefined,
      );
  });

  function handle(reply: FromWorker | null): void {
    if (reply === null) return;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    if (reply.type === "pow-progress") {
      waiting.onProgress?.(reply.fraction);
      return;
    }
    pending.delete(reply.id);
    waiting.resolve(reply);
  }

  const request = (message: (id: number) => ToWorker, onProgress?: (fraction: number) => void) =>
    new Promise<FromWorker | null>((resolve) => {
      if (terminated) return resolve(null);
      const id = nextId++;
      pending.set(id, onProgress ? { resolve, onProgress } : { resolve });
      worker.postMessage(message(id));
    });

  function expect<T extends FromWorker["type"], R>(
    reply: FromWorker | null,
    type: T,
    pick: (r: Reply<T>) => R,
  ): Outcome<R> {
    if (reply === null) return { ok: false, error: "terminated" };
    if (reply.type === "failed") return { ok: false, error: reply.code };
    if (reply.type !== type) return { ok: false, error: "bad-request" };
    return { ok: true, value: pick(reply as Reply<T>) };
  }

  const strip = <T extends { type: unknown; id: unknown }>({
    type: _t,
    id: _i,
    ...rest
  }: T): Omit<T, "type" | "id"> => rest;

  return {
    init: async (orgPublicKey) =>
      expect(await request((id) => ({ type: "init", id, orgPublicKey })), "done", () => null),
    solve: async (challenge, onProgress) =>
      expect(await request((id) => ({ type: "solve", id, challenge }), onProgress), "solved", (r) => r.nonce),
    revocations: async (list, nowMs) =>
      expect(await request((id) => ({ type: "revocations", id, list, nowMs })), "done", () => null),
    newKey: async () =>
      expect(await request((id) => ({ type: "new-key", id })), "public-key", (r) => r.publicKey),
    complete: async (sessionId, epoch, handshake, nowMs) =>
      expect(
        await request((id) => ({ type: "complete", id, sessionId, epoch, handshake, nowMs })),
        "channel-ready",
        strip,
      ),
    seal: async (payload, final = false) =>
      expect(await request((id) => ({ type: "seal", id, payload, final })), "sealed", strip),
    open: async (epoch, seq, ciphertext) =>
      expect(await request((id) => ({ type: "open", id, epoch, seq, ciphertext })), "opened", strip),
    ack: (epoch, seq) => {
      if (!terminated) worker.postMessage({ type: "ack", id: 0, epoch, seq } satisfies ToWorker);
    },
    wipeNow: () => {
      if (terminated) return;
      worker.postMessage({ type: "wipe", id: 0 } satisfies ToWorker);
      terminated = true;
      worker.terminate();
      for (const waiting of pending.values()) waiting.resolve({ type: "failed", id: 0, code: "not-ready" });
      pending.clear();
    },
    wipe: async (maxWaitMs = 200) => {
      if (terminated) return;
      const zeroed = request((id) => ({ type: "wipe", id }));
      await Promise.race([zeroed, new Promise((resolve) => setTimeout(resolve, maxWaitMs))]);
      terminated = true;
      worker.terminate();
      for (const waiting of pending.values()) waiting.resolve({ type: "failed", id: 0, code: "not-ready" });
      pending.clear();
    },
  };
}
