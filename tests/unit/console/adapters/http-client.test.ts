import { describe, expect, it } from "vitest";
import { createApi } from "../../../../console/src/adapters/api.ts";
import { createHttpClient } from "../../../../console/src/adapters/http-client.ts";
import { decodeBase64url, encodeBase64url } from "../../../../console/src/crypto/base64url.ts";
import { fakeFetch } from "../support/fakes.ts";

describe("HTTP client", () => {
  it("parses answers with the contract's schemas and sends the CSRF token on mutations only", async () => {
    const fetch = fakeFetch({
      "GET /api/setup": { status: 200, body: { needed: true } },
      "POST /api/auth/salt": { status: 200, body: { salt: "AAAAAAAAAAAAAAAAAAAAAA" } },
    });
    const api = createApi(createHttpClient(fetch));
    expect(await api.setupStatus()).toEqual({ ok: true, value: { needed: true } });
    api.setCsrfToken("tok");
    await api.salt("amina");
    expect(fetch.calls[0]?.headers["X-CSRF-Token"]).toBeUndefined();
    expect(fetch.calls[1]?.headers["X-CSRF-Token"]).toBe("tok");
    expect(fetch.calls[1]?.body).toEqual({ username: "amina" });
  });

  it("turns error bodies into codes, and refuses shapes it does not expect", async () => {
    const fetch = fakeFetch({
      "POST /api/auth/login": { status: 401, body: { error: "invalid-credentials" } },
      "GET /api/setup": { status: 200, body: { needed: "yes" } },
      "GET /api/auth/me": { status: 500, body: { error: "<script>" } },
    });
    const api = createApi(createHttpClient(fetch));
    expect(await api.login({ username: "amina", authKey: "x" })).toEqual({
      ok: false,
      error: "invalid-credentials",
    });
    expect(await api.setupStatus()).toEqual({ ok: false, error: "bad-response" });
    expect(await api.me()).toEqual({ ok: false, error: "bad-response" });
    const down = createApi(createHttpClient(async () => Promise.reject(new TypeError("offline"))));
    expect(await down.setupStatus()).toEqual({ ok: false, error: "network" });
  });
});

describe("base64url", () => {
  it("round-trips and refuses malformed text", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(decodeBase64url(encodeBase64url(bytes))).toEqual({ ok: true, value: bytes });
    }
    expect(encodeBase64url(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
    expect(decodeBase64url("abc=").ok).toBe(false);
    expect(decodeBase64url("a").ok).toBe(false);
    expect(decodeBase64url("a+b/").ok).toBe(false);
    expect(decodeBase64url("AB").ok).toBe(false); // stray bits set
  });
});
