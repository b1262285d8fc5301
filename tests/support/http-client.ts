import { TEST_ORIGIN } from "./http-server.ts";

export type ApiResponse = Readonly<{
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test helper; each test checks the shape it expects
  json: any;
  /** `name=value` of the first Set-Cookie, for the next request's Cookie header. */
  cookie: string | null;
}>;

export type ApiOptions = Readonly<{
  body?: unknown;
  /** A raw body (sent as is, for malformed-input tests). */
  raw?: string;
  cookie?: string | null;
  csrf?: string | null;
  /** Origin header; default the helpline's own; null sends none. */
  origin?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
}>;

/** One HTTP request with fetch, as a browser on the helpline origin would send it. */
export async function api(
  base: string,
  method: string,
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const origin = options.origin === undefined ? TEST_ORIGIN : options.origin;
  if (origin !== null && method !== "GET") headers.origin = origin;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers["x-csrf-token"] = options.csrf;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers["content-type"] = options.contentType ?? "application/json";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = options.contentType ?? "application/json";
  }
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    redirect: "manual",
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const setCookie = res.headers.get("set-cookie");
  return {
    status: res.status,
    headers: res.headers,
    text,
    json,
    cookie: setCookie ? setCookie.split(";")[0]! : null,
  };
}
