import type * as v from "valibot";
import { CSRF_HEADER, isHttpErrorCode } from "../../../shared/protocol/http/index.ts";
import { parse } from "../../../shared/protocol/index.ts";
import { err, ok, type Result } from "../../../shared/result.ts";
import type { ErrorCode } from "../state/errors.ts";

/**
 * The console's only door to the HTTP API. Every answer is parsed with the contract's schema
 * before anything reads it (a compromised or confused server cannot hand the UI a shape it does
 * not expect); every mutating request carries the session's CSRF token; nothing is cached.
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type HttpClient = Readonly<{
  request: <S extends v.GenericSchema | null>(
    method: Method,
    path: string,
    schema: S,
    body?: unknown,
  ) => Promise<Result<S extends v.GenericSchema ? v.InferOutput<S> : null, ErrorCode>>;
  setCsrfToken: (token: string | null) => void;
}>;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export function createHttpClient(fetchFn: FetchLike): HttpClient {
  let csrf: string | null = null;
  return {
    setCsrfToken: (token) => {
      csrf = token;
    },
    request: async (method, path, schema, body) => {
      const headers: Record<string, string> = { Accept: "application/json" };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      if (method !== "GET" && csrf !== null) headers[CSRF_HEADER] = csrf;
      let response: Response;
      try {
        response = await fetchFn(path, {
          method,
          headers,
          credentials: "same-origin",
          cache: "no-store",
          redirect: "error",
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch {
        return err("network");
      }
      const json = await readJson(response);
      if (!response.ok) {
        const code =
          typeof json === "object" && json !== null ? (json as { error?: unknown }).error : undefined;
        return err(isHttpErrorCode(code) ? code : "bad-response");
      }
      if (schema === null) return ok(null) as never;
      const parsed = parse(schema, json);
      return (parsed.ok ? ok(parsed.value) : err("bad-response")) as never;
    },
  };
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
