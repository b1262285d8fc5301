import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * Engine.io answers its own HTTP requests (long-polling, handshakes, its errors) before express
 * sees them, so helmet's headers never reached those responses. This puts the same baseline on
 * every response of the http server, ahead of whatever listener answers: express and helmet
 * override them with their own, and engine.io's `writeHead` merges them in.
 * Call after socket.io has attached (it takes over the existing `request` listeners).
 */
export function transportSecurityHeaders(hsts: boolean): Readonly<Record<string, string>> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy":
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    ...(hsts ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

export function applyBaselineHeaders(server: Server, headers: Readonly<Record<string, string>>): void {
  const listeners = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    for (const listener of listeners) listener.call(server, req, res);
  });
}
