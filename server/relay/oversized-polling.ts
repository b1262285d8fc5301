import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Threat: a long-polling POST that declares a body far larger than engine.io takes
 * (`maxHttpBufferSize`) and then trickles it: engine.io would read until the limit, holding the
 * connection for as long as the sender likes. An engine.io middleware (it runs before every
 * polling request, handshakes included) answers 413 from the headers alone and closes the
 * connection, as the HTTP routes do (server/http/declared-length.ts).
 */
export function refuseOversizedPolling(maxBytes: number) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (!(declared > maxBytes)) {
      next();
      return;
    }
    res.writeHead(413, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
    res.end("Payload Too Large");
    res.once("finish", () => req.socket.destroySoon());
  };
}
