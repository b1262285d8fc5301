import type { CdpConnection } from "./browser-cdp.ts";
import { containsCanary } from "./browser-canary.ts";

/**
 * Takes a V8 heap snapshot of one target (a page, an out-of-process frame or a worker) and
 * reports whether the canary occurs in it. Taking a snapshot runs a full garbage collection
 * first, so only strings something still references (or V8 has not yet reused) are found.
 */
export async function heapSnapshot(cdp: CdpConnection, sessionId: string): Promise<Buffer> {
  const chunks: string[] = [];
  const off = cdp.on((event) => {
    if (event.method === "HeapProfiler.addHeapSnapshotChunk" && event.sessionId === sessionId) {
      chunks.push(String(event.params.chunk));
    }
  });
  try {
    await cdp.send("HeapProfiler.enable", {}, sessionId);
    await cdp.send("HeapProfiler.collectGarbage", {}, sessionId);
    // Every chunk is delivered before the command's response.
    await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false }, sessionId);
  } finally {
    off();
  }
  return Buffer.from(chunks.join(""), "utf8");
}

export async function heapContains(cdp: CdpConnection, sessionId: string, canary: string): Promise<boolean> {
  return containsCanary(await heapSnapshot(cdp, sessionId), canary);
}
