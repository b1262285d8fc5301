import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type * as v from "valibot";
import { CSRF_HEADER, MAX_JSON_BODY_BYTES, type Role } from "../../shared/protocol/http/index.ts";
import { parse } from "../../shared/protocol/index.ts";
import { type AuthenticatedStaff, authenticateCookie } from "../auth/staff-session.ts";
import { tokensEqual } from "../auth/tokens.ts";
import type { HttpContext } from "./context.ts";
import { refuseDeclaredLength } from "./declared-length.ts";
import { failure, type Reply, sendError, writeReply } from "./reply.ts";

/**
 * One place where every API route gets, in order: the Origin check for mutating requests,
 * authentication and the role check, the CSRF token check, reading the JSON body (size-capped),
 * and valibot validation of path parameters, query and body. A handler runs only with typed, validated input; anything
 * else is answered with an error code before it.
 */
export type Access = "public" | Role;

const RANK: Readonly<Record<Role, number>> = { counselor: 0, supervisor: 1, admin: 2 };

export type RouteInput<B, Q, P> = Readonly<{
  body: B;
  query: Q;
  params: P;
  req: Request;
  res: Response;
}>;

type Schema = v.GenericSchema;
type Out<S> = S extends Schema ? v.InferOutput<S> : undefined;

export type RouteSpec<BS, QS, PS, A extends Access> = Readonly<{
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  access: A;
  body?: BS;
  /** Largest JSON body in bytes (default MAX_JSON_BODY_BYTES). */
  bodyLimit?: number;
  query?: QS;
  params?: PS;
}>;

export type Handler<BS, QS, PS, A extends Access> = (
  input: RouteInput<Out<BS>, Out<QS>, Out<PS>> &
    (A extends "public" ? object : { staff: AuthenticatedStaff }),
) => Promise<Reply>;

const MUTATING = new Set(["post", "put", "patch", "delete"]);

type BodyOutcome = "ok" | "payload-too-large" | "bad-request";

/**
 * Reads the JSON body only once the request has passed the origin, session, role and CSRF
 * checks, so nobody unauthenticated makes the server parse anything on a staff route.
 */
function readJson(
  req: Request,
  res: Response,
  parser: ReturnType<typeof express.json>,
): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    parser(req, res, (error?: unknown) => {
      if (!error) return resolve("ok");
      resolve(
        (error as { type?: unknown }).type === "entity.too.large" ? "payload-too-large" : "bad-request",
      );
    });
  });
}

export function defineRoute<
  BS extends Schema | undefined,
  QS extends Schema | undefined,
  PS extends Schema | undefined,
  A extends Access,
>(router: Router, ctx: HttpContext, spec: RouteSpec<BS, QS, PS, A>, handler: Handler<BS, QS, PS, A>): void {
  const mutating = MUTATING.has(spec.method);
  const parser = spec.body
    ? express.json({ limit: spec.bodyLimit ?? MAX_JSON_BODY_BYTES, strict: true })
    : null;
  const limit = spec.bodyLimit ?? MAX_JSON_BODY_BYTES;
  const tooLarge = refuseDeclaredLength(limit);
  router[spec.method](spec.path, tooLarge, async (req: Request, res: Response, next: NextFunction) => {
    try {
      // Threat: cross-site requests riding a logged-in counselor's cookie, and login CSRF.
      // Browsers send Origin on every POST/PUT/PATCH/DELETE; anything else is refused.
      if (mutating && req.get("origin") !== ctx.config.publicOrigin) return sendError(res, "csrf");
      let staff: AuthenticatedStaff | null = null;
      if (spec.access !== "public") {
        staff = await authenticateCookie(
          req.get("cookie"),
          ctx.config.secureCookies,
          ctx.sessions,
          ctx.repos,
        );
        if (!staff) return sendError(res, "unauthenticated");
        if (RANK[staff.record.role] < RANK[spec.access as Role]) return sendError(res, "forbidden");
        if (mutating && !tokensEqual(req.get(CSRF_HEADER) ?? "", staff.session.csrfToken)) {
          return sendError(res, "csrf");
        }
      }
      if (parser) {
        const read = await readJson(req, res, parser);
        if (read !== "ok") return sendError(res, read);
      }
      const params = spec.params
        ? parse(spec.params, { ...req.params })
        : { ok: true as const, value: undefined };
      const query = spec.query
        ? parse(spec.query, { ...req.query })
        : { ok: true as const, value: undefined };
      const body = spec.body ? parse(spec.body, req.body) : { ok: true as const, value: undefined };
      if (!params.ok || !query.ok || !body.ok) return sendError(res, "bad-request");
      const input = { body: body.value, query: query.value, params: params.value, req, res, staff };
      const reply = await handler(input as Parameters<typeof handler>[0]);
      writeReply(res, reply);
    } catch (error) {
      next(error);
    }
  });
}

export { failure };
