import { err, ok, type Result } from "../result.ts";
import {
  IMAGE_CHUNK_WINDOW,
  IMAGE_CHUNKS_PER_SECOND,
  MAX_IMAGE_BYTES_PER_MINUTE,
  MAX_IMAGES_PER_CHAT,
} from "./limits.ts";
import type { ImageChunkPayload, ImageHeader } from "./image-transfer.ts";

/**
 * Sends an image's payloads at IMAGE_CHUNKS_PER_SECOND with at most IMAGE_CHUNK_WINDOW of them
 * unacknowledged (PROTOCOL.md "Attachments"). Typed messages never wait behind it: they are
 * sealed and sent directly, while the pacer hands over one chunk per tick, so a text sealed
 * meanwhile goes out between two chunks. The rest of the relay's per-socket rate stays free for
 * text, receipts and acknowledgements.
 */
export type PacerDeps = Readonly<{
  /** Seals and sends one payload; false when the channel is gone (transfer, end). */
  send: (payload: ImageHeader | ImageChunkPayload, last: boolean) => Promise<boolean>;
  /** Frames sealed and not yet acknowledged by the peer. */
  inFlight: () => number;
  schedule: (run: () => void, ms: number) => () => void;
  onProgress: (id: string, sent: number, chunks: number) => void;
  onDone: (id: string, sent: boolean) => void;
}>;

export type ImagePacer = Readonly<{
  enqueue: (parts: readonly [ImageHeader, ...ImageChunkPayload[]]) => void;
  /** Drops everything not yet sent (chat ended); no callbacks. */
  clear: () => void;
}>;

const TICK_MS = Math.ceil(1000 / IMAGE_CHUNKS_PER_SECOND);

export function createImagePacer(deps: PacerDeps): ImagePacer {
  const queue: (ImageHeader | ImageChunkPayload)[] = [];
  let cancel: (() => void) | null = null;
  let sending = false;
  let generation = 0;

  const tick = async () => {
    cancel = null;
    const next = queue[0];
    if (next === undefined) return;
    if (deps.inFlight() >= IMAGE_CHUNK_WINDOW) {
      cancel = deps.schedule(tick, TICK_MS);
      return;
    }
    queue.shift();
    const mine = generation;
    const last = next.type === "image-chunk" && queue[0]?.type !== "image-chunk";
    sending = true;
    const sent = await deps.send(next, last);
    sending = false;
    if (mine !== generation) return;
    if (!sent) {
      while (queue[0] !== undefined && queue[0].type === "image-chunk") queue.shift();
      deps.onDone(next.id, false);
    } else if (next.type === "image-chunk") {
      deps.onProgress(next.id, next.index + 1, next.index + 1 + queue.filter((p) => p.id === next.id).length);
      if (last) deps.onDone(next.id, true);
    }
    if (queue.length > 0) cancel = deps.schedule(tick, TICK_MS);
  };

  return {
    enqueue: (parts) => {
      queue.push(...parts);
      if (cancel === null && !sending) cancel = deps.schedule(tick, 0);
    },
    clear: () => {
      generation++;
      queue.length = 0;
      cancel?.();
      cancel = null;
    },
  };
}

/** The sender's own limits per chat: images in all, and bytes per rolling minute. */
export function createImageQuota(): Readonly<{
  take: (bytes: number, now: number) => Result<void, "too-many" | "too-fast">;
}> {
  let count = 0;
  let recent: { at: number; bytes: number }[] = [];
  return {
    take: (bytes, now) => {
      recent = recent.filter((r) => now - r.at < 60_000);
      if (count >= MAX_IMAGES_PER_CHAT) return err("too-many");
      if (recent.reduce((sum, r) => sum + r.bytes, 0) + bytes > MAX_IMAGE_BYTES_PER_MINUTE)
        return err("too-fast");
      count++;
      recent.push({ at: now, bytes });
      return ok(undefined);
    },
  };
}
