import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { acceptedCodings, CODING_SUFFIX } from "./accept-encoding.ts";

/**
 * Serves `<file>.br` or `<file>.gz`, written next to each built file by `npm run build`
 * (scripts/precompress.ts), when the browser accepts that coding; otherwise, or when no such
 * variant exists, hands over to express.static for the file itself. Built files are public and
 * the same for every visitor, so compressing them leaks nothing.
 */
export function precompressedFiles(root: string, setHeaders: (res: Response) => void): RequestHandler {
  const base = normalize(root) + sep;
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    // Every answer from here on depends on Accept-Encoding, the identity one included.
    res.vary("Accept-Encoding");
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    // Dot-files, traversal and NUL are express.static's to refuse.
    if (relative.includes("\0") || relative.split("/").some((s) => s.startsWith("."))) return next();
    const file = normalize(join(root, relative));
    if (!file.startsWith(base)) return next();
    for (const coding of acceptedCodings(req.headers["accept-encoding"])) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file + CODING_SUFFIX[coding]);
      } catch {
        continue;
      }
      res.type(extname(file));
      setHeaders(res);
      res.setHeader("Content-Encoding", coding);
      res.setHeader("Content-Length", String(bytes.length));
      if (req.method === "HEAD") return void res.end();
      return void res.end(bytes);
    }
    next();
  };
}
