import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precompressTree } from "../../scripts/precompress.ts";
import {
  FRAME_HTML,
  LOADER_JS,
  startTestServer,
  TEST_ORIGIN,
  type TestServer,
} from "../support/http-server.ts";

/**
 * Static files go out precompressed (written by the build's last step), in the best coding the
 * browser accepts, with Content-Encoding and Vary: Accept-Encoding. Responses that carry secrets
 * or user input (the API, the relay's polling) are never compressed.
 */
type Raw = Readonly<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>;

function raw(url: string, headers: Record<string, string>, method = "GET", body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

const vary = (r: Raw) => String(r.headers.vary ?? "").toLowerCase();
// Big and repetitive enough that both codings are smaller than the file.
const ASSET = `export const words = ${JSON.stringify("safe chat ".repeat(400))};\n`;
const CONSOLE_ASSET = `body{color:#123}\n`.repeat(200);
// A WebAssembly module's magic and version, then repetitive bytes: compressible like libsodium's.
const WASM = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(4000, 7)]);

describe("HTTP: compressed static files", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const dist = join(server.dir, "dist");
    writeFileSync(join(dist, "frame/assets/big.js"), ASSET);
    writeFileSync(join(dist, "console/assets/big.css"), CONSOLE_ASSET);
    writeFileSync(join(dist, "frame/assets/libsodium.wasm"), WASM);
    writeFileSync(join(dist, "embed/v1/sahara.js"), `${LOADER_JS}\n/*${"loader ".repeat(100)}*/`);
    const report = precompressTree(dist);
    expect(report.files).toBeGreaterThan(3);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("sends brotli when accepted, with Content-Encoding, Vary and the asset's own headers", async () => {
    const r = await raw(`${server.url}/frame/assets/big.js`, { "accept-encoding": "gzip, deflate, br" });
    expect(r.status).toBe(200);
    expect(r.headers["content-encoding"]).toBe("br");
    expect(vary(r)).toContain("accept-encoding");
    expect(r.headers["content-type"]).toMatch(/javascript/);
    expect(r.headers["cache-control"]).toBe("no-store");
    expect(r.headers["access-control-allow-origin"]).toBe("*");
    expect(Number(r.headers["content-length"])).toBe(r.body.length);
    expect(r.body.length).toBeLessThan(ASSET.length / 4);
    expect(brotliDecompressSync(r.body).toString("utf8")).toBe(ASSET);
  });

  it("sends gzip when brotli is not accepted or refused with q=0", async () => {
    for (const accept of ["gzip", "br;q=0, gzip"]) {
      const r = await raw(`${server.url}/frame/assets/big.js`, { "accept-encoding": accept });
      expect(r.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(r.body).toString("utf8")).toBe(ASSET);
    }
  });

  it("sends the file itself without Accept-Encoding, still with Vary", async () => {
    for (const headers of [
      {},
      { "accept-encoding": "identity" },
      { "accept-encoding": "br;q=0, gzip;q=0" },
    ]) {
      const r = await raw(`${server.url}/frame/assets/big.js`, headers);
      expect(r.headers["content-encoding"]).toBeUndefined();
      expect(vary(r)).toContain("accept-encoding");
      expect(r.body.toString("utf8")).toBe(ASSET);
    }
  });

  // The crypto worker's libsodium is a .wasm asset, fetched from the opaque-origin frame and
  // compiled while it streams in: it needs the wasm type (else no streaming compilation), CORS
  // and no cache entry, in every coding.
  it("sends the frame's WebAssembly as application/wasm, compressed or not, with CORS and no-store", async () => {
    for (const [accept, decode] of [
      ["br", brotliDecompressSync],
      ["gzip", gunzipSync],
      ["identity", (b: Buffer) => b],
    ] as const) {
      const r = await raw(`${server.url}/frame/assets/libsodium.wasm`, { "accept-encoding": accept });
      expect(r.status).toBe(200);
      expect(r.headers["content-type"]).toBe("application/wasm");
      expect(r.headers["content-encoding"]).toBe(accept === "identity" ? undefined : accept);
      expect(r.headers["cache-control"]).toBe("no-store");
      expect(r.headers["access-control-allow-origin"]).toBe("*");
      expect(decode(r.body).equals(WASM)).toBe(true);
    }
  });

  it("compresses the loader, the frame page and console files too", async () => {
    const loader = await raw(`${server.url}/embed/v1/sahara.js`, { "accept-encoding": "br" });
    expect(loader.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(loader.body).toString("utf8")).toContain(LOADER_JS);
    expect(loader.headers["access-control-allow-origin"]).toBe("*");

    const frame = await raw(`${server.url}/frame/`, { "accept-encoding": "gzip" });
    expect(frame.headers["content-encoding"]).toBe("gzip");
    expect(vary(frame)).toContain("accept-encoding");
    expect(frame.headers["content-security-policy"]).toMatch(/^sandbox allow-scripts/);
    // The org key placeholder is filled in (empty before setup), then compressed.
    expect(gunzipSync(frame.body).toString("utf8")).toBe(FRAME_HTML.replace("%SAHARA_ORG_KEY%", ""));

    const css = await raw(`${server.url}/console/assets/big.css`, { "accept-encoding": "br" });
    expect(css.headers["content-encoding"]).toBe("br");
    expect(css.headers["content-type"]).toMatch(/text\/css/);
    expect(brotliDecompressSync(css.body).toString("utf8")).toBe(CONSOLE_ASSET);
  });

  it("never compresses API answers or relay traffic, which carry secrets or user input", async () => {
    const accept = { "accept-encoding": "gzip, deflate, br" };
    const config = await raw(`${server.url}/api/widget/config?partner=demo&language=en`, accept);
    expect(config.status).toBe(200);
    expect(config.headers["content-encoding"]).toBeUndefined();
    const login = await raw(
      `${server.url}/api/auth/login`,
      { ...accept, "content-type": "application/json", origin: TEST_ORIGIN },
      "POST",
      JSON.stringify({ username: "someone", authKey: "a".repeat(43) }),
    );
    expect(login.headers["content-encoding"]).toBeUndefined();
    const poll = await raw(`${server.url}/relay/?EIO=4&transport=polling`, { ...accept, origin: "null" });
    expect(poll.status).toBe(200);
    expect(poll.headers["content-encoding"]).toBeUndefined();
  });

  it("answers the sandboxed frame's polling (Origin: null) with CORS, never with credentials or for other origins", async () => {
    const fromFrame = await raw(`${server.url}/relay/?EIO=4&transport=polling`, { origin: "null" });
    expect(fromFrame.status).toBe(200);
    expect(fromFrame.headers["access-control-allow-origin"]).toBe("null");
    expect(fromFrame.headers["access-control-allow-credentials"]).toBeUndefined();
    const fromElsewhere = await raw(`${server.url}/relay/?EIO=4&transport=polling`, {
      origin: "https://evil.example",
    });
    expect(fromElsewhere.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("does not serve files outside the asset folder through an encoded path", async () => {
    writeFileSync(join(server.dir, "dist/secret.txt.br"), "not for you");
    const r = await raw(`${server.url}/frame/assets/..%2f..%2fsecret.txt`, { "accept-encoding": "br" });
    expect(r.status).not.toBe(200);
    expect(r.body.toString("utf8")).not.toContain("not for you");
  });
});
