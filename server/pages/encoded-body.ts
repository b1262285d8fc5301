import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Request, Response } from "express";
import { acceptedCodings, type Encoding } from "./accept-encoding.ts";

/**
 * One body in the codings a browser may ask for. Only for public bytes the same for every
 * visitor (built files, the frame page with the public org key): compressing a response that
 * mixes a secret with attacker-chosen input leaks the secret through its length (BREACH), so
 * API answers, relay traffic and anything carrying user input are never compressed.
 */
export type EncodedBody = Readonly<Record<Encoding, Buffer | null>>;

export function compressBody(identity: Buffer): EncodedBody {
  const br = brotliCompressSync(identity, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
    },
  });
  const gzip = gzipSync(identity, { level: 9 });
  return {
    identity,
    br: br.length < identity.length ? br : null,
    gzip: gzip.length < identity.length ? gzip : null,
  };
}

/**
 * Sends the best coding the request accepts, with `Content-Encoding` and
 * `Vary: Accept-Encoding` (a shared cache must not hand a brotli body to a browser that did not
 * ask for one). The caller has set Content-Type and the page's other headers.
 */
export function sendEncoded(req: Request, res: Response, body: EncodedBody): void {
  const coding: Encoding = acceptedCodings(req.headers["accept-encoding"]).find((c) => body[c]) ?? "identity";
  const bytes = body[coding] ?? body.identity ?? Buffer.alloc(0);
  res.vary("Accept-Encoding");
  if (coding !== "identity") res.setHeader("Content-Encoding", coding);
  res.setHeader("Content-Length", String(bytes.length));
  if (req.method === "HEAD") return void res.end();
  res.end(bytes);
}
