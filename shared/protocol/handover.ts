import { MAX_HANDOVER_MESSAGES, MAX_HANDOVER_PAYLOAD_BYTES } from "./limits.ts";
import { encodePayload, type HandoverLine, type Payload } from "./payloads.ts";

const encoder = new TextEncoder();

/**
 * The handover payload for a note and the conversation so far: the last MAX_HANDOVER_MESSAGES
 * messages, fewer if the encoded payload would pass MAX_HANDOVER_PAYLOAD_BYTES (the oldest go
 * first: the receiving counselor needs the most recent part of the story most).
 */
export function handoverPayload(text: string, lines: readonly HandoverLine[]): Payload {
  const kept = lines.slice(-MAX_HANDOVER_MESSAGES);
  // Each line is its JSON plus the comma that separates it from the next.
  const sizes = kept.map((l) => encoder.encode(JSON.stringify(l)).length + 1);
  let total = encodePayload({ type: "handover-note", text, transcript: kept }).length;
  let drop = 0;
  while (total > MAX_HANDOVER_PAYLOAD_BYTES && drop < kept.length) {
    total -= sizes[drop] ?? 0;
    drop++;
  }
  return { type: "handover-note", text, transcript: kept.slice(drop) };
}
