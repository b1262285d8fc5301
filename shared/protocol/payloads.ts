import * as v from "valibot";
import { err, ok, type Result } from "../result.ts";
import { bytesSchema } from "./bytes-schema.ts";
import { decodeImageChunk, encodeImageChunk, IMAGE_CHUNK_MARKER } from "./image-chunk-codec.ts";
import {
  IMAGE_CHUNK_BYTES,
  IMAGE_MAX_SIDE_PX,
  IMAGE_MIME_TYPES,
  MAX_HANDOVER_MESSAGES,
  MAX_HANDOVER_NOTE_CHARS,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_CHUNKS,
  MAX_MESSAGE_ID_CHARS,
  MAX_NICKNAME_CHARS,
  MAX_SEQUENCE,
  MAX_TEXT_CHARS,
} from "./limits.ts";
import { parse } from "./parse.ts";

/**
 * What only the two endpoints see, after decryption: every application event travels inside the
 * encrypted stream. Encoded as UTF-8 JSON before padding (PROTOCOL.md "Payloads"), except
 * `image-chunk`, which is binary (PROTOCOL.md "Attachments"): base64 in JSON would cost a third
 * more frames.
 */

export const messageId = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(MAX_MESSAGE_ID_CHARS),
  v.regex(/^[A-Za-z0-9_-]+$/),
);

export const PayloadSchema = v.variant("type", [
  v.strictObject({
    type: v.literal("text"),
    id: messageId,
    body: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT_CHARS)),
  }),
  v.strictObject({ type: v.literal("typing"), active: v.boolean() }),
  /** The sender has read everything up to this sequence number (of the other direction). */
  v.strictObject({
    type: v.literal("read"),
    upTo: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEQUENCE)),
  }),
  v.strictObject({ type: v.literal("for-whom"), value: v.picklist(["self", "someone-else"]) }),
  v.strictObject({ type: v.literal("nickname"), value: v.pipe(v.string(), v.maxLength(MAX_NICKNAME_CHARS)) }),
  /** Sent by either side before closing its stream. */
  v.strictObject({ type: v.literal("end") }),
  /**
   * Counselor to counselor at transfer time (inside the sealed handover, never to the survivor):
   * the note and the conversation so far, oldest first (at most MAX_HANDOVER_MESSAGES; the
   * sender drops the oldest to stay within MAX_HANDOVER_PAYLOAD_BYTES).
   */
  v.strictObject({
    type: v.literal("handover-note"),
    text: v.pipe(v.string(), v.maxLength(MAX_HANDOVER_NOTE_CHARS)),
    transcript: v.optional(
      v.pipe(
        v.array(
          v.strictObject({
            from: v.picklist(["counselor", "survivor"]),
            body: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT_CHARS)),
            at: v.pipe(v.number(), v.integer(), v.minValue(0)),
          }),
        ),
        v.maxLength(MAX_HANDOVER_MESSAGES),
      ),
    ),
  }),
  /**
   * An image follows in `chunks` image-chunk payloads with the same id (PROTOCOL.md
   * "Attachments"); `sha256` covers the `bytes` encoded bytes, which have no metadata.
   */
  v.strictObject({
    type: v.literal("image"),
    id: messageId,
    mime: v.picklist(IMAGE_MIME_TYPES),
    bytes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_IMAGE_BYTES)),
    chunks: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_IMAGE_CHUNKS)),
    width: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(IMAGE_MAX_SIDE_PX)),
    height: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(IMAGE_MAX_SIDE_PX)),
    sha256: bytesSchema(32, 32),
  }),
  v.strictObject({
    type: v.literal("image-chunk"),
    id: messageId,
    index: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_IMAGE_CHUNKS - 1)),
    data: bytesSchema(1, IMAGE_CHUNK_BYTES),
  }),
  /** Survivor's quick exit: no content, just that they left. */
  v.strictObject({ type: v.literal("visitor-left") }),
]);

export type Payload = v.InferOutput<typeof PayloadSchema>;
export type PayloadType = Payload["type"];
export type HandoverLine = NonNullable<Extract<Payload, { type: "handover-note" }>["transcript"]>[number];

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodePayload(payload: Payload): Uint8Array {
  if (payload.type === "image-chunk") return encodeImageChunk(payload);
  if (payload.type === "image")
    return encoder.encode(JSON.stringify({ ...payload, sha256: hex(payload.sha256) }));
  return encoder.encode(JSON.stringify(payload));
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (text: unknown): Uint8Array | null =>
  typeof text === "string" && /^[0-9a-f]{64}$/.test(text)
    ? Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16))
    : null;

/** Decodes a decrypted, unpadded payload. Never throws. */
export function decodePayload(bytes: Uint8Array): Result<Payload, "bad-payload"> {
  if (bytes[0] === IMAGE_CHUNK_MARKER) {
    const chunk = decodeImageChunk(bytes);
    return chunk === null
      ? err("bad-payload")
      : parse(PayloadSchema, chunk).ok
        ? ok(chunk)
        : err("bad-payload");
  }
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch {
    return err("bad-payload");
  }
  // The image header's digest travels as hex (JSON has no bytes); a chunk never comes as JSON.
  if (typeof json === "object" && json !== null && "type" in json) {
    if (json.type === "image-chunk") return err("bad-payload");
    if (json.type === "image" && "sha256" in json) {
      const digest = fromHex(json.sha256);
      if (digest === null) return err("bad-payload");
      json = { ...json, sha256: digest };
    }
  }
  const parsed = parse(PayloadSchema, json);
  return parsed.ok ? parsed : err("bad-payload");
}
