import * as v from "valibot";
import { err, type Result } from "../result.ts";
import {
  MAX_HANDOVER_MESSAGES,
  MAX_HANDOVER_NOTE_CHARS,
  MAX_MESSAGE_ID_CHARS,
  MAX_NICKNAME_CHARS,
  MAX_SEQUENCE,
  MAX_TEXT_CHARS,
} from "./limits.ts";
import { parse } from "./parse.ts";

/**
 * What only the two endpoints see, after decryption: every application event travels inside the
 * encrypted stream. Encoded as UTF-8 JSON before padding (PROTOCOL.md "Payloads").
 */

const messageId = v.pipe(
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
  /** Survivor's quick exit: no content, just that they left. */
  v.strictObject({ type: v.literal("visitor-left") }),
]);

export type Payload = v.InferOutput<typeof PayloadSchema>;
export type PayloadType = Payload["type"];
export type HandoverLine = NonNullable<Extract<Payload, { type: "handover-note" }>["transcript"]>[number];

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodePayload(payload: Payload): Uint8Array {
  return encoder.encode(JSON.stringify(payload));
}

/** Decodes a decrypted, unpadded payload. Never throws. */
export function decodePayload(bytes: Uint8Array): Result<Payload, "bad-payload"> {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch {
    return err("bad-payload");
  }
  const parsed = parse(PayloadSchema, json);
  return parsed.ok ? parsed : err("bad-payload");
}
