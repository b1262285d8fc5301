import { connect } from "node:net";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SURVIVOR_NAMESPACE } from "../../shared/protocol/index.ts";
import { HTTP_TIMEOUTS } from "../../server/create-relay.ts";
import { relayServerOptions } from "../../server/relay/server-options.ts";
import { joinAsSurvivor, request } from "../support/relay-clients.ts";
import { startTestServer, TEST_ORIGIN, type TestServer } from "../support/http-server.ts";
import { binaryRecord, encodePacket, rawPolling, sleep } from "../support/raw-relay.ts";

/**
 * Class: slow clients holding connections (finding: Node's defaults let a client trickle a
 * request body for 300 s, checked every 30 s, and its headers for 60 s: one byte every few
 * seconds held a connection for five and a half minutes). The server runs here with short
 * timeouts so the test is quick; the last test checks the production values are the ones used.
 */
const SHORT = { headersMs: 1000, requestMs: 2000, checkEveryMs: 250 };
/** Far past SHORT (and far below Node's defaults): a connection still open then was not cut. */
const WAIT_MS = 8000;

let server: TestServer;
let port: number;
beforeAll(async () => {
  server = await startTestServer({ overrides: { httpTimeouts: SHORT } });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
});

/**
 * Writes `start`, then `drip` every 200 ms; resolves with what the server answered and whether
 * it closed the connection before WAIT_MS.
 */
function trickle(start: string, drip: string): Promise<{ closed: boolean; answer: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    const timer = setInterval(() => socket.write(drip), 200);
    const done = (closed: boolean) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closed, answer });
    };
    const giveUp = setTimeout(() => done(false), WAIT_MS);
    socket.on("data", (d: Buffer) => {
      answer += d.toString("latin1");
    });
    socket.on("close", () => done(true));
    socket.on("error", () => undefined);
    socket.write(start);
  });
}

describe("slow clients", () => {
  it("a trickled request body (an API route, a long-polling POST) or trickled headers are cut with 408", async () => {
    const poll = await rawPolling(port);
    const attempts = await Promise.all([
      trickle(
        `POST /api/auth/salt HTTP/1.1\r\nHost: x\r\nOrigin: ${TEST_ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{`,
        " ",
      ),
      trickle(
        `POST /relay/?EIO=4&transport=polling&sid=${poll.sid} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n`,
        "4",
      ),
      trickle("GET /healthz HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n"),
    ]);
    for (const [i, a] of attempts.entries()) {
      expect(a.closed, `attempt ${i}`).toBe(true);
      expect(a.answer.split("\r\n")[0], `attempt ${i}`).toBe("HTTP/1.1 408 Request Timeout");
    }
  });

  it("a long-polling GET waiting past the request timeout, and a WebSocket open past it, are not cut", async () => {
    const poll = await rawPolling(port);
    const waiting = poll.get();
    const survivor = await joinAsSurvivor(server.url);
    await sleep(SHORT.requestMs + 4 * SHORT.checkEveryMs);
    // Something for the waiting GET: the CONNECT's answer and a challenge.
    await poll.post(binaryRecord(encodePacket({ type: 0, nsp: SURVIVOR_NAMESPACE })));
    expect((await waiting).status).toBe(200);
    expect(
      await request(survivor.socket as Socket, "waiting", { sessionId: survivor.queued.sessionId }),
    ).toEqual({ ok: true });
    (survivor.socket as Socket).close();
  });

  it("the production server uses HTTP_TIMEOUTS, well below Node's defaults, and a full polling POST from a 2G phone fits", async () => {
    const production = await startTestServer();
    try {
      const { httpServer } = production.instance;
      expect(httpServer.headersTimeout).toBe(HTTP_TIMEOUTS.headersMs);
      expect(httpServer.requestTimeout).toBe(HTTP_TIMEOUTS.requestMs);
      expect(HTTP_TIMEOUTS.headersMs + HTTP_TIMEOUTS.checkEveryMs).toBeLessThan(60_000);
      expect(HTTP_TIMEOUTS.requestMs + HTTP_TIMEOUTS.checkEveryMs).toBeLessThan(300_000);
      // A body of maxHttpBufferSize bytes at 20 kbit/s (a weak 2G link) arrives within the limit.
      const fullPostMs = ((relayServerOptions.maxHttpBufferSize * 8) / 20_000) * 1000;
      expect(HTTP_TIMEOUTS.requestMs).toBeGreaterThan(fullPostMs);
    } finally {
      await production.close();
    }
  });
});
