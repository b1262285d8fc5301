import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http-client.ts";
import { startTestServer, TEST_ORIGIN, type TestServer } from "../support/http-server.ts";

/** Writes raw bytes to the server and resolves with whatever it answers before `ms` (or closing). */
function raw(url: string, request: string, ms = 5000): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, ms);
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n\r\n")) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on("error", reject);
    socket.write(request);
  });
}

describe("adversarial: HTTP edges", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("a declared 100 MB body is refused with 413 before any of it is sent", async () => {
    for (const path of ["/api/auth/login", "/api/setup", "/api/no-such-route", "/console/"]) {
      const answer = await raw(
        server.url,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nOrigin: ${TEST_ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{`,
      );
      expect(answer.split("\r\n")[0], path).toBe("HTTP/1.1 413 Payload Too Large");
      expect(answer.toLowerCase()).toContain("connection: close");
    }
    // A body just over one route's own limit (64 KB) is refused from the header too.
    const answer = await raw(
      server.url,
      `POST /api/auth/salt HTTP/1.1\r\nHost: x\r\nOrigin: ${TEST_ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n\r\n{`,
    );
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
    expect((await api(server.url, "GET", "/healthz")).status).toBe(200);
  });

  it("so is a long-polling POST declaring more than engine.io takes, with or without a session", async () => {
    const handshake = await (await fetch(`${server.url}/relay/?EIO=4&transport=polling`)).text();
    const sid = (JSON.parse(handshake.slice(1)) as { sid: string }).sid;
    for (const query of [`sid=${sid}`, "t=1"]) {
      const answer = await raw(
        server.url,
        `POST /relay/?EIO=4&transport=polling&${query} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 104857600\r\n\r\n4`,
      );
      expect(answer.split("\r\n")[0], query).toBe("HTTP/1.1 413 Payload Too Large");
      expect(answer.toLowerCase()).toContain("connection: close");
      expect(answer).toContain("X-Content-Type-Options: nosniff");
    }
  });

  it("engine.io's own responses carry the security headers, errors included", async () => {
    const handshake = await fetch(`${server.url}/relay/?EIO=4&transport=polling`);
    const unknownSid = await fetch(`${server.url}/relay/?EIO=4&transport=polling&sid=nope`);
    const badTransport = await fetch(`${server.url}/relay/?EIO=4&transport=carrier-pigeon`);
    expect(handshake.status).toBe(200);
    expect(unknownSid.status).toBe(400);
    expect(badTransport.status).toBe(400);
    for (const res of [handshake, unknownSid, badTransport]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("forwarding headers without TRUST_PROXY are reported loudly, once, without the address", async () => {
    for (let i = 0; i < 3; i++) {
      await api(server.url, "GET", "/healthz", { headers: { "x-forwarded-for": "203.0.113.77" } });
    }
    const warnings = server.logs.filter((l) => l.includes("TRUST_PROXY is unset"));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? "{}").level).toBe(50);
    expect(server.logs.join("\n")).not.toContain("203.0.113.77");
    const metrics = await api(server.url, "GET", "/metrics");
    expect(metrics.text).toContain("sahara_undeclared_proxy_requests_total 3");
  });

  it("/metrics can live on its own listener only", async () => {
    const own = await startTestServer({ config: { metricsListen: { host: "127.0.0.1", port: 0 } } });
    try {
      expect((await api(own.url, "GET", "/metrics")).status).toBe(404);
      const app = own.instance.metricsApp;
      if (!app) throw new Error("no metrics app although METRICS_PORT is set");
      const listener = app.listen(0, "127.0.0.1");
      await new Promise((resolve) => listener.once("listening", resolve));
      const { port } = listener.address() as AddressInfo;
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain("sahara_waiting_sessions");
      expect((await fetch(`http://127.0.0.1:${port}/api/setup`)).status).toBe(404);
      await new Promise((resolve) => listener.close(resolve));
    } finally {
      await own.close();
    }
  });
});
