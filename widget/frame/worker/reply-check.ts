import { parse } from "../../../shared/protocol/parse.ts";
import { type FromWorker, FromWorkerSchema } from "./protocol.ts";

/**
 * A reply from the crypto worker, checked with the schema the worker uses, or null. Apart from
 * client.ts so that the schema, and valibot, come with the crypto worker's chunk (spawn.ts
 * imports this module too) and not with the frame's entry.
 */
export function checkReply(data: unknown): FromWorker | null {
  const parsed = parse(FromWorkerSchema, data);
  return parsed.ok ? parsed.value : null;
}
