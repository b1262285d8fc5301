import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

/**
 * Security headers. helmet sets the common ones on every response (nosniff, no-referrer,
 * COOP, CORP same-origin, HSTS, no DNS prefetch...) with a deny-everything CSP; pages then
 * replace the CSP with their own policy below. X-Frame-Options is set per response instead of
 * by helmet, because the frame page must be framable by partners (frame-ancestors decides).
 */
/** `hsts`: only when the helpline is served over https (a browser ignores it over http anyway). */
export function baseSecurityHeaders(hsts: boolean) {
  const h = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
      },
    },
    xFrameOptions: false,
    referrerPolicy: { policy: "no-referrer" },
    crossOriginResourcePolicy: { policy: "same-origin" },
    strictTransportSecurity: hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    h(req, res, (error?: unknown) => {
      if (error) return next(error);
      res.setHeader("X-Frame-Options", "DENY");
      next();
    });
  };
}

/** `ws://` / `wss://` form of an http(s) origin (socket.io upgrades on the same host). */
export function websocketOrigin(publicOrigin: string): string {
  return publicOrigin.replace(/^http/, "ws");
}

/**
 * The console: scripts only from here (plus WASM for libsodium's Argon2id), sockets only to the
 * relay, never framed (clickjacking on admin actions).
 */
export function consoleCsp(publicOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    `connect-src 'self' ${websocketOrigin(publicOrigin)}`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "media-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export type InlineHashes = Readonly<{ scripts: readonly string[]; styles: readonly string[] }>;
const NO_INLINE: InlineHashes = { scripts: [], styles: [] };

/**
 * The survivor's frame. `sandbox` without `allow-same-origin` gives the document an opaque
 * origin: storage, cookies, IndexedDB, caches and service workers all throw, so nothing about
 * the chat can be left on the device for an abuser to find. The origin is listed next to 'self'
 * because 'self' inside an opaque-origin document is not something to rely on across browsers.
 * `frame-ancestors` lists `ancestors`, the origins of the partner the page claims (or 'none'):
 * no one else may embed the chat, nor start chats labelled as another partner.
 *
 * `inline`: CSP hash sources ('sha256-…') of the frame page's own inline script and stylesheet
 * (the first paint's Hide and its styles, which must not wait for another request); only those
 * exact bytes may run, never any other inline code.
 */
export function frameCsp(
  publicOrigin: string,
  ancestors: readonly string[],
  inline: InlineHashes = NO_INLINE,
): string {
  const here = `'self' ${publicOrigin}`;
  const hashes = (list: readonly string[]) => list.map((h) => ` ${h}`).join("");
  return [
    "sandbox allow-scripts allow-popups allow-top-navigation-by-user-activation",
    "default-src 'none'",
    `script-src ${here} 'wasm-unsafe-eval' blob:${hashes(inline.scripts)}`,
    "worker-src blob:",
    `connect-src ${here} ${websocketOrigin(publicOrigin)}`,
    `style-src ${here}${hashes(inline.styles)}`,
    `img-src ${here} data: blob:`,
    `font-src ${here}`,
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors.length > 0 ? ancestors.join(" ") : "'none'"}`,
  ].join("; ");
}

/** The demo partner page: the loader from the helpline and the frame from the helpline only. */
export function demoCsp(publicOrigin: string): string {
  return [
    "default-src 'none'",
    `script-src ${publicOrigin}`,
    `frame-src ${publicOrigin}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For responses other origins read (loader, frame assets, widget config): CORS without credentials. */
export function allowCrossOrigin(res: Response): void {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
  res.removeHeader("Access-Control-Allow-Credentials");
}
