import * as v from "valibot";
import {
  MAX_FRAME_BYTES,
  MAX_SEQUENCE,
  type RelayError,
  type RelayErrorCode,
  SessionIdSchema,
} from "../../shared/protocol/index.ts";

/**
 * Binary fields leave the relay as Buffers covering exactly their bytes. The msgpack codec
 * (notepack.io) writes a Buffer as msgpack `bin`, but a plain Uint8Array as an `ext` holding its
 * WHOLE underlying ArrayBuffer: for a view into Node's shared pool that would send unrelated
 * memory (other sessions' ciphertext) to the peer. Every emitted byte field goes through here.
 */
export function wire(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Stored fields are copied out of the received packet so the record holds no view into it. */
export function own(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

/** A frame whose ciphertext is too big gets its own code so the sender knows not to resend it. */
export function classifyFrame(payload: unknown): RelayErrorCode {
  try {
    const c = (payload as { ciphertext?: unknown } | null)?.ciphertext;
    const size = c instanceof Uint8Array || c instanceof ArrayBuffer ? c.byteLength : 0;
    return size > MAX_FRAME_BYTES ? "frame-too-large" : "bad-request";
  } catch {
    return "bad-request";
  }
}

const Reference = v.object({
  sessionId: v.optional(SessionIdSchema),
  seq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEQUENCE))),
});

/** The `error` event for a refused event without a reply; names the frame only if well-formed. */
export function relayError(code: RelayErrorCode, payload: unknown): RelayError {
  try {
    const r = v.safeParse(Reference, payload);
    if (!r.success) return { code };
    const { sessionId, seq } = r.output;
    return { code, ...(sessionId !== undefined ? { sessionId } : {}), ...(seq !== undefined ? { seq } : {}) };
  } catch {
    return { code };
  }
}
