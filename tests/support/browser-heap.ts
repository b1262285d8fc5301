import type { CdpConnection } from "./browser-cdp.ts";
import { containsCanary } from "./browser-canary.ts";

/**
 * Takes a V8 heap snapshot of one target (a page, an out-of-process frame or a worker) and
 * reports whether the canary occurs in it. Taking a snapshot runs a full garbage collection
 * first, so only strings something still references (or V8 has not yet reused) are found.
 */
/** A snapshot or a full collection of a console or frame on a loaded machine can take a while. */
const HEAVY_MS = 120_000;

export async function heapSnapshot(cdp: CdpConnection, sessionId: string): Promise<Buffer> {
  const chunks: string[] = [];
  const off = cdp.on((event) => {
    if (event.method === "HeapProfiler.addHeapSnapshotChunk" && event.sessionId === sessionId) {
      chunks.push(String(event.params.chunk));
    }
  });
  try {
    await cdp.send("HeapProfiler.enable", {}, sessionId);
    await cdp.send("HeapProfiler.collectGarbage", {}, sessionId, HEAVY_MS);
    // Every chunk is delivered before the command's response.
    await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false }, sessionId, HEAVY_MS);
  } finally {
    off();
  }
  return Buffer.from(chunks.join(""), "utf8");
}

export async function heapContains(cdp: CdpConnection, sessionId: string, canary: string): Promise<boolean> {
  return containsCanary(await heapSnapshot(cdp, sessionId), canary);
}

/**
 * Searches the contents of every ArrayBuffer alive in a target after a full collection (typed
 * arrays, fetched bodies, WebAssembly memory) for any of the byte windows. A heap snapshot lists
 * strings but not buffer contents, so binary data (an image) is looked for here.
 */
export async function heapHoldsBytes(
  cdp: CdpConnection,
  sessionId: string,
  windows: readonly Uint8Array[],
): Promise<boolean> {
  const group = "sahara-bytes";
  await cdp.send("HeapProfiler.enable", {}, sessionId);
  await cdp.send("HeapProfiler.collectGarbage", {}, sessionId, HEAVY_MS);
  const proto = await cdp.send<{ result: { objectId: string } }>(
    "Runtime.evaluate",
    { expression: "ArrayBuffer.prototype", objectGroup: group },
    sessionId,
  );
  const list = await cdp.send<{ objects: { objectId: string } }>(
    "Runtime.queryObjects",
    { prototypeObjectId: proto.result.objectId, objectGroup: group },
    sessionId,
  );
  // The needles travel as plain number arrays, never as buffers, so they cannot match themselves.
  const found = await cdp.send<{ result: { value: unknown } }>(
    "Runtime.callFunctionOn",
    {
      objectId: list.objects.objectId,
      functionDeclaration: `function (needles) {
        for (const buffer of this) {
          const bytes = new Uint8Array(buffer);
          for (const needle of needles) {
            const first = needle[0];
            outer: for (let i = bytes.indexOf(first); i >= 0 && i + needle.length <= bytes.length; i = bytes.indexOf(first, i + 1)) {
              for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
              return true;
            }
          }
        }
        return false;
      }`,
      arguments: [{ value: windows.map((w) => [...w]) }],
      returnByValue: true,
    },
    sessionId,
    HEAVY_MS,
  );
  await cdp.send("Runtime.releaseObjectGroup", { objectGroup: group }, sessionId);
  return found.result.value === true;
}
