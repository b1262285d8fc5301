import { ready, STAFF_KDF_PROFILE } from "../../../shared/crypto/staff/index.ts";
import { createKeyring } from "./keyring.ts";
import type { WorkerInbound, WorkerOutbound } from "./rpc.ts";

/**
 * The crypto worker's entry: keys live here, never on the page. Requests are handled in order;
 * the page terminates this worker on lock, logout and idle, which discards the whole WASM heap.
 */
const keyring = createKeyring({ profile: STAFF_KDF_PROFILE, now: () => Date.now() });
const loaded = ready();

self.onmessage = async (event: MessageEvent<WorkerInbound>) => {
  await loaded;
  const { id, request } = event.data;
  const message: WorkerOutbound = { id, reply: keyring.handle(request) };
  self.postMessage(message);
};
