/// <reference lib="webworker" />
import { createWorkerHandler } from "./handler.ts";

/**
 * Worker glue. Bundled inline (a blob: URL, allowed by `worker-src blob:`): the frame's origin
 * is opaque, so no URL on the server would count as same-origin for `new Worker(url)`.
 */
declare const self: DedicatedWorkerGlobalScope;

const handle = createWorkerHandler((message, transfer) => self.postMessage(message, transfer ?? []));
self.addEventListener("message", (event) => {
  void handle(event.data);
});
