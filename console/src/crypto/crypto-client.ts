import type { CryptoReply, CryptoRequest, WorkerInbound, WorkerOutbound } from "./rpc.ts";

/**
 * The page's side of the crypto worker: numbered requests, promised replies. `terminate` ends
 * the worker (and with it every key in its memory); the next call starts a fresh, empty one.
 */
export type WorkerPort = {
  postMessage: (message: WorkerInbound) => void;
  onmessage: ((event: { data: WorkerOutbound }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  terminate: () => void;
};

export type CryptoClient = Readonly<{
  call: <T extends CryptoRequest["type"]>(
    request: Extract<CryptoRequest, { type: T }>,
  ) => Promise<CryptoReply<T>>;
  terminate: () => void;
}>;

export function createCryptoClient(spawn: () => WorkerPort): CryptoClient {
  let port: WorkerPort | null = null;
  let nextId = 1;
  const pending = new Map<number, (reply: CryptoReply<CryptoRequest["type"]>) => void>();

  const failAll = () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: "locked" });
    pending.clear();
  };

  const ensure = (): WorkerPort => {
    if (port) return port;
    const fresh = spawn();
    fresh.onmessage = (event) => {
      const resolve = pending.get(event.data.id);
      pending.delete(event.data.id);
      resolve?.(event.data.reply);
    };
    fresh.onerror = () => {
      for (const resolve of pending.values()) resolve({ ok: false, error: "crypto-failed" });
      pending.clear();
    };
    port = fresh;
    return fresh;
  };

  return {
    call: (request) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve as (reply: CryptoReply<CryptoRequest["type"]>) => void);
        ensure().postMessage({ id, request });
      }),
    terminate: () => {
      port?.terminate();
      port = null;
      failAll();
    },
  };
}

/** The real worker, bundled by Vite as a separate same-origin script (CSP `worker-src 'self'`). */
export function spawnCryptoWorker(): WorkerPort {
  return new Worker(new URL("./worker.ts", import.meta.url), {
    type: "module",
    name: "sahara-keys",
  }) as unknown as WorkerPort;
}
