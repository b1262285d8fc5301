import {
  createCryptoClient,
  type CryptoClient,
  type WorkerLike,
} from "../../../../widget/frame/worker/client.ts";
import { createWorkerHandler } from "../../../../widget/frame/worker/handler.ts";

/**
 * The real worker handler and the real client joined in-process: every message is structured-
 * cloned both ways, as `postMessage` would, so nothing is shared by reference.
 */
export function workerPair(): {
  client: CryptoClient;
  worker: WorkerLike;
  terminated: () => boolean;
  posted: unknown[];
} {
  const listeners: ((event: MessageEvent) => void)[] = [];
  const posted: unknown[] = [];
  let terminated = false;
  const handle = createWorkerHandler((message) => {
    if (terminated) return;
    const data = structuredClone(message);
    queueMicrotask(() => {
      for (const listener of listeners) listener({ data } as MessageEvent);
    });
  });
  const worker: WorkerLike = {
    postMessage: (message) => {
      posted.push(message);
      if (!terminated) void handle(structuredClone(message));
    },
    addEventListener: (_type, listener) => listeners.push(listener),
    terminate: () => {
      terminated = true;
    },
  };
  // `client` drives this worker directly; `worker` is for code that makes its own client.
  return {
    get client() {
      return createCryptoClient(worker);
    },
    worker,
    terminated: () => terminated,
    posted,
  };
}
