import * as v from "valibot";
import { err, ok, type Result } from "../result.ts";

/**
 * Parses untrusted input against a schema. Never throws: a malformed value (or one whose
 * getters throw) becomes `bad-request`.
 */
export function parse<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): Result<v.InferOutput<S>, "bad-request"> {
  try {
    const result = v.safeParse(schema, input);
    return result.success ? ok(result.output) : err("bad-request");
  } catch {
    return err("bad-request");
  }
}
