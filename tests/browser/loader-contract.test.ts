import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Scenario, startScenario } from "../support/browser-scenario.ts";
import { DIST_DIR } from "../support/browser-servers.ts";
import { catalogue, clickAccessible, launcherName, openWidget } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * The loader's release contract: the snippet (from the build's manifest, as the console shows
 * it) names a content-addressed loader, `/embed/sahara-<hash>.js`, pinned with SRI and cached
 * for a year; the release-stable `/embed/v1/sahara.js` is cached only briefly. A partner page
 * with that snippet runs the loader in Chromium (SRI checked) and opens the chat.
 */
const run = await needService("chromium");

type Manifest = Readonly<{ loader: string; integrity: string; stable: string }>;

describe.runIf(run)("loader contract", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("the snippet's content-addressed loader runs under SRI, cached for a year; the stable name briefly", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    const manifest = JSON.parse(readFileSync(join(DIST_DIR, "embed/manifest.json"), "utf8")) as Manifest;
    expect(manifest.loader).toMatch(/^\/embed\/sahara-[A-Za-z0-9_-]{16}\.js$/);
    expect(manifest.stable).toBe("/embed/v1/sahara.js");

    const hashed = await page.request.get(`${helpline.origin}${manifest.loader}`);
    expect(hashed.status()).toBe(200);
    expect(hashed.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    const bytes = await hashed.body();
    // The name is the bytes' hash, and the snippet's integrity is theirs.
    const digest = createHash("sha384").update(bytes).digest();
    expect(manifest.loader).toBe(`/embed/sahara-${digest.toString("base64url").slice(0, 16)}.js`);
    expect(manifest.integrity).toBe(`sha384-${digest.toString("base64")}`);

    const stable = await page.request.get(`${helpline.origin}${manifest.stable}`);
    expect(stable.headers()["cache-control"]).toBe("public, max-age=300");
    expect(await stable.body()).toEqual(bytes);
    const unknown = await page.request.get(`${helpline.origin}/embed/sahara-AAAAAAAAAAAAAAAA.js`);
    expect(unknown.status()).toBe(404);

    const loads: string[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/embed/")) loads.push(r.url());
    });
    await page.goto(helpline.partner.page("/pinned", { loaderPath: manifest.loader }));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: catalogue("en").startButton }).waitFor({ timeout: 60_000 });
    expect(loads).toEqual([`${helpline.origin}${manifest.loader}`]);
  });

  it("a tampered integrity hash keeps the loader from running", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    const manifest = JSON.parse(readFileSync(join(DIST_DIR, "embed/manifest.json"), "utf8")) as Manifest;
    const html = helpline.partner.page("/pinned", { loaderPath: manifest.loader });
    // Same page, wrong pin: what a partner would see after the server's loader was altered.
    await page.route(html, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(manifest.integrity, `sha384-${"A".repeat(64)}`);
      await route.fulfill({ response, body });
    });
    await page.goto(html, { waitUntil: "load" });
    expect(await page.content()).toContain(`integrity="sha384-${"A".repeat(64)}"`);
    // No launcher anywhere in the accessibility tree (it lives in a shadow root when it runs).
    await expect(clickAccessible(page, "button", launcherName())).rejects.toThrow(/no button/);
  });
});
