import type * as v from "valibot";
import { parse } from "./parse.ts";

/** Sends with an acknowledgement and resolves with the raw answer; rejects on a timeout. */
export type EmitWithAck = (event: string, payload: unknown) => Promise<unknown>;

/**
 * A request to the relay and its answer, typed, for both apps: the caller passes its socket's
 * send-with-ack and timeout (shared/ imports no socket library). Never throws: an answer that
 * fails the schema is `bad-request`, no answer (timeout, socket gone) is `internal`.
 */
export async function ackRequest<T>(
  emit: EmitWithAck,
  schema: v.GenericSchema<unknown, T>,
  event: string,
  payload: unknown,
): Promise<T | Readonly<{ ok: false; error: "bad-request" | "internal" }>> {
  try {
    const parsed = parse(schema, await emit(event, payload));
    return parsed.ok ? parsed.value : { ok: false, error: "bad-request" };
  } catch {
    return { ok: false, error: "internal" };
  }
}
