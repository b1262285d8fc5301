import * as v from "valibot";

/**
 * Field errors for a form, from the same valibot schema the server uses: the first issue per
 * top-level field, as a short code the catalogue turns into words.
 */
export type FieldErrors = Readonly<Record<string, FieldErrorCode>>;
export type FieldErrorCode = "required" | "too-long" | "invalid";

export function fieldErrors(schema: v.GenericSchema, input: unknown): FieldErrors {
  const result = v.safeParse(schema, input);
  if (result.success) return {};
  const out: Record<string, FieldErrorCode> = {};
  for (const issue of result.issues) {
    const key = issue.path?.[0]?.key;
    const field = typeof key === "string" ? key : "_form";
    if (out[field]) continue;
    out[field] = classify(issue);
  }
  return out;
}

function classify(issue: v.BaseIssue<unknown>): FieldErrorCode {
  if (
    issue.type === "min_length" &&
    (issue.input === "" || (Array.isArray(issue.input) && issue.input.length === 0))
  )
    return "required";
  if (issue.type === "max_length") return "too-long";
  return "invalid";
}
