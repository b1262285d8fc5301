import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoApp } from "../../server/pages/demo-app.ts";
import type { Config } from "../../server/config.ts";
import { api } from "../support/http-client.ts";
import { LOADER_JS, startTestServer, TEST_ORIGIN, type TestServer } from "../support/http-server.ts";
import { b64, type Org, setupOrg } from "../support/http-staff.ts";

const csp = (res: Response) => res.headers.get("content-security-policy") ?? "";
const directive = (policy: string, name: string) =>
  policy
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe("HTTP: pages and their headers", () => {
  let server: TestServer;
  let bare: TestServer;
  let org: Org;

  beforeAll(async () => {
    server = await startTestServer();
    bare = await startTestServer({ dist: false });
  });
  afterAll(async () => {
    await server?.close();
    await bare?.close();
  });

  it("serves the frame sandboxed, uncached, unreferred and framable only by partners", async () => {
    const before = await fetch(`${server.url}/frame/`);
    expect(await before.text()).toContain('content=""');
    org = await setupOrg(server, server.clock.t);
    const res = await fetch(`${server.url}/frame/?partner=demo`);
    expect(res.status).toBe(200);
    const policy = csp(res);
    expect(policy).toMatch(/^sandbox allow-scripts allow-popups allow-top-navigation-by-user-activation;/);
    expect(policy).not.toMatch(/allow-same-origin/);
    expect(directive(policy, "default-src")).toBe("default-src 'none'");
    expect(directive(policy, "script-src")).toContain("'wasm-unsafe-eval'");
    expect(directive(policy, "worker-src")).toBe("worker-src blob:");
    expect(directive(policy, "connect-src")).toContain("ws://helpline.test");
    expect(directive(policy, "base-uri")).toBe("base-uri 'none'");
    expect(directive(policy, "form-action")).toBe("form-action 'none'");
    // The claimed (seeded demo) partner's origins, and nobody else.
    expect(directive(policy, "frame-ancestors")).toBe(
      "frame-ancestors http://127.0.0.1:8081 http://localhost:8081",
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(res.headers.get("set-cookie")).toBeNull();
    const html = await res.text();
    expect(html).toContain(`<meta name="sahara-org-key" content="${b64(org.keys.publicKey)}">`);
    expect(html).not.toContain("%SAHARA_ORG_KEY%");
  });

  it("writes the partner's widget configuration into the frame page, the same as the API answers", async () => {
    org ??= await setupOrg(server, server.clock.t);
    const html = await (await fetch(`${server.url}/frame/?partner=demo`)).text();
    const block = html.match(/<script type="application\/json" id="sahara-config">([^<]*)<\/script><\/head>/);
    expect(block).not.toBeNull();
    const answered = await (await fetch(`${server.url}/api/widget/config?partner=demo&language=en`)).json();
    expect(JSON.parse(block?.[1] ?? "")).toEqual(answered);
    // No configuration for a partner that does not exist (the frame then asks and is refused).
    const unknown = await (await fetch(`${server.url}/frame/?partner=nobody`)).text();
    expect(unknown).not.toContain("sahara-config");
  });

  it("serves frame assets uncached and readable from the frame's opaque origin", async () => {
    const res = await fetch(`${server.url}/frame/assets/frame.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect((await fetch(`${server.url}/frame/assets/../index.html`)).headers.get("cache-control")).toBe(
      "no-store",
    );
    expect((await fetch(`${server.url}/frame/assets/missing.js`)).status).toBe(404);
  });

  it("serves the release-stable loader with a short cache, cross-origin readable (SRI needs CORS)", async () => {
    const res = await fetch(`${server.url}/embed/v1/sahara.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(LOADER_JS);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("serves the console with a strict CSP, never framed, uncached, with client-side routes", async () => {
    for (const path of ["/console/", "/console/admin/staff"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("<title>console</title>");
      const policy = csp(res);
      expect(directive(policy, "script-src")).toBe("script-src 'self' 'wasm-unsafe-eval'");
      expect(directive(policy, "frame-ancestors")).toBe("frame-ancestors 'none'");
      expect(directive(policy, "style-src")).toBe("style-src 'self'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
    const asset = await fetch(`${server.url}/console/assets/console.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 with a build hint when dist/ is missing", async () => {
    for (const path of ["/frame/", "/console/", "/embed/v1/sahara.js"]) {
      const res = await fetch(`${bare.url}${path}`);
      expect(res.status, path).toBe(503);
      expect(await res.text()).toContain("npm run build");
    }
    expect((await fetch(`${bare.url}/healthz`)).status).toBe(200);
  });

  it("puts security headers on API answers too, and no caching", async () => {
    const res = await api(server.url, "GET", "/api/setup");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect((await api(server.url, "GET", "/api/nothing-here")).json).toEqual({ error: "not-found" });
  });

  it("reports health, readiness and counts-only metrics", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, database: true, relay: true });
    await api(server.url, "GET", `/api/admin/staff/${org.admin.id}`);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^sahara_waiting_sessions 0$/m);
    expect(metrics).toMatch(/^sahara_http_requests_total\{route="\/api\/setup",status="2xx"\} \d+$/m);
    expect(metrics).not.toContain(org.admin.id);
    expect(metrics).not.toContain("127.0.0.1");
    for (const line of metrics.split("\n").filter((l) => l.startsWith("sahara_http_requests_total"))) {
      expect(line).toMatch(/route="(\/[a-z0-9/.:*_-]*|unmatched|other)",status="[1-5]xx"/);
    }
  });

  it("seeds the demo partner from the configured demo port, so the demo page may frame the chat", async () => {
    const other = await startTestServer({
      config: { publicOrigin: "http://localhost:8080", demoPort: 9091 },
    });
    try {
      const res = await fetch(`${other.url}/frame/?partner=demo`);
      expect(directive(csp(res), "frame-ancestors")).toBe(
        "frame-ancestors http://127.0.0.1:9091 http://localhost:9091",
      );
      const [partner] = await other.instance.repos.partners.list();
      expect(partner?.exitUrl).toBe("http://localhost:9091/weather.html");
    } finally {
      await other.close();
    }
  });

  it("serves a demo partner page with the pinned snippet and a neutral exit page", async () => {
    const app = createDemoApp({ ...demoConfig, distDir: server.instance.dist.root }, server.instance.dist);
    const listener = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => listener.once("listening", resolve));
    const { port } = listener.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/demo/`);
      const html = await res.text();
      expect(html).toContain(
        `<script async src="${TEST_ORIGIN}/embed/v1/sahara.js" integrity="sha384-testintegrity" crossorigin="anonymous" data-partner="demo" data-language="en"></script>`,
      );
      const urdu = await (await fetch(`http://127.0.0.1:${port}/demo/ur/`)).text();
      expect(urdu).toContain('data-partner="demo" data-language="ur"></script>');
      expect(html).toContain('href="/demo/ur/"');
      const policy = csp(res);
      expect(directive(policy, "script-src")).toBe(`script-src ${TEST_ORIGIN}`);
      expect(directive(policy, "frame-src")).toBe(`frame-src ${TEST_ORIGIN}`);
      expect((await fetch(`http://127.0.0.1:${port}/weather.html`)).status).toBe(200);
    } finally {
      listener.close();
    }
  });
});

const demoConfig: Config = {
  port: 0,
  host: "127.0.0.1",
  databaseUrl: "sqlite::memory:",
  publicOrigin: TEST_ORIGIN,
  demoPort: 0,
  trustProxy: false,
  trustProxySet: false,
  metricsListen: null,
  secureCookies: false,
  logLevel: "silent",
  secret: null,
  dataDir: "./data",
  distDir: "./dist",
};
