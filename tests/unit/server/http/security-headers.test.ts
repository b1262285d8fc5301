import { describe, expect, it } from "vitest";
import { createHttpMetrics } from "../../../../server/http/metrics.ts";
import { createHash } from "node:crypto";
import { consoleCsp, frameCsp, websocketOrigin } from "../../../../server/http/security-headers.ts";
import { inlineHashes, withConfig } from "../../../../server/pages/pages-router.ts";
import type { WidgetConfig } from "../../../../shared/protocol/http/widget-config.ts";

describe("content security policies", () => {
  it("sandboxes the frame without same-origin and lists only partner ancestors", () => {
    const policy = frameCsp("https://help.example.org", ["https://a.example", "https://b.example"]);
    expect(
      policy.startsWith("sandbox allow-scripts allow-popups allow-top-navigation-by-user-activation; "),
    ).toBe(true);
    expect(policy).not.toContain("allow-same-origin");
    expect(policy).toContain("frame-ancestors https://a.example https://b.example");
    expect(policy).toContain("connect-src 'self' https://help.example.org wss://help.example.org");
    expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    expect(frameCsp("https://h.example", [])).toContain("frame-ancestors 'none'");
  });

  it("allows exactly the frame page's own inline script and style, by hash", () => {
    const sha = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    const html =
      "<head><style>.a{b:c}</style></head><body><script>\n  go();\n</script>" +
      '<script type="module" src="/x.js"></script></body>';
    const inline = inlineHashes(html);
    expect(inline).toEqual({ scripts: [sha("\n  go();\n")], styles: [sha(".a{b:c}")] });
    const policy = frameCsp("https://h.example", [], inline);
    expect(policy).toContain(
      `script-src 'self' https://h.example 'wasm-unsafe-eval' blob: ${sha("\n  go();\n")}`,
    );
    expect(policy).toContain(`style-src 'self' https://h.example ${sha(".a{b:c}")}`);
    expect(policy).not.toContain("unsafe-inline");
  });

  it("keeps the console unframable and script-tight", () => {
    const policy = consoleCsp("http://localhost:8080");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).toContain("connect-src 'self' ws://localhost:8080");
    expect(policy).not.toContain("unsafe-inline");
  });

  it("maps http(s) origins to ws(s)", () => {
    expect(websocketOrigin("https://x.example")).toBe("wss://x.example");
    expect(websocketOrigin("http://localhost:8080")).toBe("ws://localhost:8080");
  });
});

describe("metrics", () => {
  it("counts by route pattern and status class only, bounded in labels", () => {
    const metrics = createHttpMetrics();
    metrics.recordRequest("/api/admin/staff/:id", 200);
    metrics.recordRequest("/api/admin/staff/:id", 204);
    metrics.recordRequest("/api/admin/staff/:id", 404);
    for (let i = 0; i < 500; i++) metrics.recordRequest(`/leak/${i}`, 200);
    const text = metrics.render({ waiting: 3, active: 1, survivors: 4, staff: 2 }, {});
    expect(text).toContain('sahara_http_requests_total{route="/api/admin/staff/:id",status="2xx"} 2');
    expect(text).toContain('sahara_http_requests_total{route="/api/admin/staff/:id",status="4xx"} 1');
    expect(text).toContain("sahara_waiting_sessions 3");
    expect(text).toContain('sahara_connections{side="staff"} 2');
    expect(
      text.split("\n").filter((l) => l.startsWith("sahara_http_requests_total")).length,
    ).toBeLessThanOrEqual(202);
    expect(text).toMatch(/route="other"/);
  });

  it("writes the widget configuration as inert JSON that cannot end its element", () => {
    const config = {
      open: true,
      languages: ["en"],
      defaultLanguage: "en",
      exitUrl: "https://example.org/$&?</script><script>alert(1)</script>",
      timeZone: "UTC",
      hours: [[], [], [], [], [], [], []],
      holidays: [],
      nextOpening: null,
      resources: [{ name: "<!-- $' $` $$", contact: "15", language: "en" }],
    } satisfies WidgetConfig;
    const page = withConfig("<html><head><title>t</title></head><body></body></html>", config);
    const block = page.match(/<script type="application\/json" id="sahara-config">([^<]*)<\/script><\/head>/);
    expect(block).not.toBeNull();
    expect(JSON.parse(block?.[1] ?? "")).toEqual(config);
    // Not script: nothing to hash into the policy.
    expect(inlineHashes(page).scripts).toEqual([]);
    expect(withConfig("<head></head>", null)).toBe("<head></head>");
  });
});
