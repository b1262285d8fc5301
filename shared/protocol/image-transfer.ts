import { sha256 } from "../pow/sha256.ts";
import { err, ok, type Result } from "../result.ts";
import {
  IMAGE_CHUNK_BYTES,
  IMAGE_STALL_MS,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_BYTES_PER_MINUTE,
  MAX_IMAGES_PER_CHAT,
} from "./limits.ts";
import type { Payload } from "./payloads.ts";

/**
 * Splitting an encoded image into payloads and putting it back together (PROTOCOL.md
 * "Attachments"). Pure: time is passed in. The channel already authenticates every frame and
 * keeps them in order; the receiver is still strict, so a chunk lost, repeated, reordered or
 * altered by a broken peer fails the whole image, never shows part of one.
 */
export type ImageHeader = Extract<Payload, { type: "image" }>;
export type ImageChunkPayload = Extract<Payload, { type: "image-chunk" }>;
export type ImageMime = ImageHeader["mime"];

export type ImageFailure =
  | "too-large"
  | "too-many"
  | "too-fast"
  | "unexpected-chunk"
  | "out-of-order"
  | "bad-size"
  | "corrupt"
  | "interrupted"
  | "stalled";

export function chunkCount(bytes: number): number {
  return Math.ceil(bytes / IMAGE_CHUNK_BYTES);
}

/** The header, then every chunk in order. */
export function splitImage(
  image: Readonly<{ id: string; mime: ImageMime; bytes: Uint8Array; width: number; height: number }>,
): Result<readonly [ImageHeader, ...ImageChunkPayload[]], "too-large" | "empty"> {
  if (image.bytes.length === 0) return err("empty");
  if (image.bytes.length > MAX_IMAGE_BYTES) return err("too-large");
  const chunks: ImageChunkPayload[] = [];
  for (let offset = 0, index = 0; offset < image.bytes.length; offset += IMAGE_CHUNK_BYTES, index++) {
    chunks.push({
      type: "image-chunk",
      id: image.id,
      index,
      data: image.bytes.slice(offset, offset + IMAGE_CHUNK_BYTES),
    });
  }
  const header: ImageHeader = {
    type: "image",
    id: image.id,
    mime: image.mime,
    bytes: image.bytes.length,
    chunks: chunks.length,
    width: image.width,
    height: image.height,
    sha256: sha256(image.bytes),
  };
  return ok([header, ...chunks]);
}

export type ReceivedImage = Readonly<{
  id: string;
  mime: ImageMime;
  width: number;
  height: number;
  bytes: Uint8Array;
}>;

export type ReceiverEvent =
  | Readonly<{ type: "started"; id: string; width: number; height: number; chunks: number }>
  | Readonly<{ type: "progress"; id: string; received: number; chunks: number }>
  | Readonly<{ type: "complete"; image: ReceivedImage }>
  | Readonly<{ type: "failed"; id: string; reason: ImageFailure }>;

type Assembly = { header: ImageHeader; buffer: Uint8Array; next: number; lastAt: number };

export type ImageReceiver = Readonly<{
  /** An `image` or `image-chunk` payload, in the order the channel opened them. */
  accept: (payload: ImageHeader | ImageChunkPayload, now: number) => readonly ReceiverEvent[];
  /** Fails an image whose next chunk is overdue (call from a timer). */
  check: (now: number) => readonly ReceiverEvent[];
  /** Zeroes and drops a partial image (chat ended, console locked). */
  wipe: () => void;
}>;

/** One per chat and direction. Counts images and bytes per minute against the limits. */
export function createImageReceiver(): ImageReceiver {
  let current: Assembly | null = null;
  let started = 0;
  /** (time, bytes) of recent images, for the per-minute limit. */
  let recent: { at: number; bytes: number }[] = [];

  const drop = (): void => {
    current?.buffer.fill(0);
    current = null;
  };
  const fail = (id: string, reason: ImageFailure): ReceiverEvent => {
    drop();
    return { type: "failed", id, reason };
  };

  const start = (header: ImageHeader, now: number): ReceiverEvent[] => {
    const events: ReceiverEvent[] = [];
    if (current !== null) events.push(fail(current.header.id, "interrupted"));
    recent = recent.filter((r) => now - r.at < 60_000);
    if (header.chunks !== chunkCount(header.bytes)) return [...events, fail(header.id, "bad-size")];
    if (++started > MAX_IMAGES_PER_CHAT) return [...events, fail(header.id, "too-many")];
    if (recent.reduce((sum, r) => sum + r.bytes, 0) + header.bytes > MAX_IMAGE_BYTES_PER_MINUTE)
      return [...events, fail(header.id, "too-fast")];
    recent.push({ at: now, bytes: header.bytes });
    current = { header, buffer: new Uint8Array(header.bytes), next: 0, lastAt: now };
    events.push({
      type: "started",
      id: header.id,
      width: header.width,
      height: header.height,
      chunks: header.chunks,
    });
    return events;
  };

  const chunk = (payload: ImageChunkPayload, now: number): ReceiverEvent[] => {
    const assembly = current;
    if (assembly === null || assembly.header.id !== payload.id) {
      // A chunk of no image being received: whatever was in progress cannot be trusted either.
      return assembly === null
        ? [fail(payload.id, "unexpected-chunk")]
        : [fail(assembly.header.id, "unexpected-chunk")];
    }
    const { header } = assembly;
    if (payload.index !== assembly.next) return [fail(header.id, "out-of-order")];
    const offset = payload.index * IMAGE_CHUNK_BYTES;
    const expected = Math.min(IMAGE_CHUNK_BYTES, header.bytes - offset);
    if (payload.data.length !== expected) return [fail(header.id, "bad-size")];
    assembly.buffer.set(payload.data, offset);
    assembly.next++;
    assembly.lastAt = now;
    if (assembly.next < header.chunks) {
      return [{ type: "progress", id: header.id, received: assembly.next, chunks: header.chunks }];
    }
    const digest = sha256(assembly.buffer);
    if (!equal(digest, header.sha256)) return [fail(header.id, "corrupt")];
    current = null;
    const image: ReceivedImage = {
      id: header.id,
      mime: header.mime,
      width: header.width,
      height: header.height,
      bytes: assembly.buffer,
    };
    return [{ type: "complete", image }];
  };

  return {
    accept: (payload, now) => (payload.type === "image" ? start(payload, now) : chunk(payload, now)),
    check: (now) =>
      current !== null && now - current.lastAt >= IMAGE_STALL_MS ? [fail(current.header.id, "stalled")] : [],
    wipe: drop,
  };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
