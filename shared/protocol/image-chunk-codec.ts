import { IMAGE_CHUNK_BYTES, MAX_IMAGE_CHUNKS, MAX_MESSAGE_ID_CHARS } from "./limits.ts";

/**
 * The one binary payload (PROTOCOL.md "Attachments"): an image chunk.
 *
 *   0x01 | lp8(ascii(id)) | index u16 BE | data (1..IMAGE_CHUNK_BYTES)
 *
 * Every other payload is UTF-8 JSON and so starts with `{` (0x7b): the first byte tells them
 * apart. At most 1 + 1 + 32 + 2 + 4000 = 4036 bytes, within the 4096 bucket's 4094.
 */
export const IMAGE_CHUNK_MARKER = 0x01;

export type ImageChunk = Readonly<{ type: "image-chunk"; id: string; index: number; data: Uint8Array }>;

const ID = /^[A-Za-z0-9_-]+$/;

export function encodeImageChunk(chunk: ImageChunk): Uint8Array {
  const out = new Uint8Array(4 + chunk.id.length + chunk.data.length);
  out[0] = IMAGE_CHUNK_MARKER;
  out[1] = chunk.id.length;
  for (let i = 0; i < chunk.id.length; i++) out[2 + i] = chunk.id.charCodeAt(i);
  new DataView(out.buffer).setUint16(2 + chunk.id.length, chunk.index);
  out.set(chunk.data, 4 + chunk.id.length);
  return out;
}

/** Strict inverse of `encodeImageChunk`; null for anything it would not have written. Never throws. */
export function decodeImageChunk(bytes: Uint8Array): ImageChunk | null {
  if (bytes.length < 5 || bytes[0] !== IMAGE_CHUNK_MARKER) return null;
  const idLength = bytes[1] ?? 0;
  if (idLength < 1 || idLength > MAX_MESSAGE_ID_CHARS) return null;
  const dataStart = 4 + idLength;
  const dataLength = bytes.length - dataStart;
  if (dataLength < 1 || dataLength > IMAGE_CHUNK_BYTES) return null;
  const id = String.fromCharCode(...bytes.subarray(2, 2 + idLength));
  if (!ID.test(id)) return null;
  const index = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(2 + idLength);
  if (index >= MAX_IMAGE_CHUNKS) return null;
  return { type: "image-chunk", id, index, data: bytes.slice(dataStart) };
}
