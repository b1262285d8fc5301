import type { NextFunction, Request, Response } from "express";
import { sendError } from "./reply.ts";

/**
 * Threat: a client declares a body far larger than any route takes (`Content-Length: 100 MB`)
 * and then trickles it, holding a connection and a parser for as long as it likes. Answer 413
 * from the headers alone, before reading a byte, and close the connection so the rest of the
 * body is never read.
 */
export function refuseDeclaredLength(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (!(declared > maxBytes)) return next();
    res.setHeader("Connection", "close");
    sendError(res, "payload-too-large");
    res.once("finish", () => req.socket.destroySoon());
  };
}
