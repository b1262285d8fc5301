import type { Response } from "express";
import type { HttpErrorCode } from "../../shared/protocol/http/index.ts";

/** What a route handler returns; the route wrapper writes it. */
export type Reply =
  | Readonly<{ kind: "json"; status: number; body: unknown }>
  | Readonly<{ kind: "empty"; status: number }>
  | Readonly<{ kind: "text"; status: number; contentType: string; body: string; filename?: string }>;

export const json = (body: unknown, status = 200): Reply => ({ kind: "json", status, body });
export const noContent = (): Reply => ({ kind: "empty", status: 204 });

const STATUS: Readonly<Record<HttpErrorCode, number>> = {
  "bad-request": 400,
  "payload-too-large": 413,
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  "not-found": 404,
  "already-set-up": 409,
  "invalid-setup-code": 403,
  "not-set-up": 409,
  "invalid-credentials": 401,
  "locked-out": 429,
  "rate-limited": 429,
  "username-taken": 409,
  "invalid-invite": 400,
  "bad-certificate": 400,
  "bad-revocation-list": 400,
  "unknown-partner": 404,
  "invalid-wrapup-token": 403,
  "partner-exists": 409,
  "last-admin": 409,
  "not-built": 503,
  unavailable: 503,
  internal: 500,
};

export const failure = (code: HttpErrorCode): Reply => ({
  kind: "json",
  status: STATUS[code],
  body: { error: code },
});

export function sendError(res: Response, code: HttpErrorCode): void {
  if (res.headersSent) return;
  res.status(STATUS[code]).json({ error: code });
}

export function writeReply(res: Response, reply: Reply): void {
  switch (reply.kind) {
    case "json":
      res.status(reply.status).json(reply.body);
      return;
    case "empty":
      res.status(reply.status).end();
      return;
    case "text":
      res.status(reply.status).type(reply.contentType);
      if (reply.filename) res.attachment(reply.filename);
      res.send(reply.body);
      return;
    default: {
      const never: never = reply;
      throw new Error(`unhandled reply ${String(never)}`);
    }
  }
}
