import type { Frame, Page, Route } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_EXIT_URL } from "../../widget/control/exit-url.ts";
import { type Scenario, startScenario } from "../support/browser-scenario.ts";
import {
  catalogue,
  chatFrame,
  clickAccessible,
  launcherName,
  loaderFrameState,
} from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * The chat frame's first paint comes from its HTML and stylesheet alone. Every script of the
 * frame is held back by request interception (as on a slow network where they have not arrived
 * yet): the bar with Quick exit and Hide and a calm line must show in the language the partner
 * chose, right to left for Urdu, and Quick exit and Hide (its button, Escape) must already work:
 * the page's own small inline script hands them to the loader.
 */
const run = await needService("chromium");

/** Holds every frame script until `release`; counts what it holds. */
async function holdFrameScripts(page: Page, origin: string) {
  const held: Route[] = [];
  let releasing = false;
  await page.context().route(`${origin}/frame/assets/**/*.js`, async (route) => {
    if (releasing) return route.continue();
    held.push(route);
  });
  return {
    held: () => held.length,
    release: async () => {
      releasing = true;
      // Not awaited: a held request of a frame that was removed meanwhile (Hide) may never be
      // answered once continued, and waiting on it would hang the test.
      for (const route of held.splice(0)) void route.continue().catch(() => undefined);
    },
  };
}

async function firstPaintFrame(page: Page, origin: string): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const frame = chatFrame(page, origin);
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error("the chat frame did not appear");
    await page.waitForTimeout(50);
  }
}

describe.runIf(run)("first paint before any script", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("shows Quick exit, Hide and the opening line in English, then the app takes over", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    const scripts = await holdFrameScripts(page, helpline.origin);
    await page.goto(helpline.partner.page("/"));
    await clickAccessible(page, "button", launcherName("en"));
    const frame = await firstPaintFrame(page, helpline.origin);

    await frame.getByRole("link", { name: "Quick exit" }).waitFor({ state: "visible", timeout: 30_000 });
    await expect.poll(() => scripts.held(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await frame.getByRole("button", { name: catalogue("en").hide }).isVisible()).toBe(true);
    expect(
      await frame.getByRole("status").getByText("Opening a private chat…", { exact: true }).isVisible(),
    ).toBe(true);
    expect(await frame.evaluate(() => getComputedStyle(document.body).direction)).toBe("ltr");
    // Nothing ran: the app would have replaced the link with its own button.
    expect(await frame.locator(".first-paint").count()).toBe(1);

    await scripts.release();
    const t = catalogue("en");
    await frame.getByRole("button", { name: t.startButton }).waitFor({ timeout: 60_000 });
    expect(await frame.locator(".first-paint").count()).toBe(0);
    expect(await frame.getByRole("button", { name: t.quickExit }).isVisible()).toBe(true);
    // The partner's configuration came with the page: the start screen cost no request of its own.
    expect(scenario.survivor.traffic.requests.filter((r) => r.url.includes("/api/widget/config"))).toEqual(
      [],
    );
  });

  it("shows the first paint in Urdu, right to left, and its Quick exit leaves the page", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    await holdFrameScripts(page, helpline.origin);
    // The default exit (a weather search) answered locally: tests never leave the machine.
    await page
      .context()
      .route(`${DEFAULT_EXIT_URL.split("?")[0]}**`, (route) =>
        route.fulfill({ contentType: "text/html", body: "<title>Weather</title><h1>Weather</h1>" }),
      );
    await page.goto(helpline.partner.page("/urdu", { language: "ur" }));
    await clickAccessible(page, "button", launcherName("ur"));
    const frame = await firstPaintFrame(page, helpline.origin);
    const t = catalogue("ur");

    const quickExit = frame.getByRole("link", { name: t.quickExit });
    await quickExit.waitFor({ state: "visible", timeout: 30_000 });
    expect(await frame.getByRole("status").getByText(t.loading, { exact: true }).isVisible()).toBe(true);
    expect(await frame.evaluate(() => getComputedStyle(document.body).direction)).toBe("rtl");
    expect(await frame.getByText("Opening a private chat…").isVisible()).toBe(false);
    // Right to left: Quick exit ends the bar on the left.
    const bar = await frame.locator("header.bar").boundingBox();
    const box = await quickExit.boundingBox();
    expect(bar && box && box.x - bar.x < bar.width / 2).toBe(true);

    await quickExit.click();
    await page.waitForURL(DEFAULT_EXIT_URL, { timeout: 15_000 });
    expect(chatFrame(page, helpline.origin)).toBeUndefined();
  });

  it("hides from the first paint, by its button and by Escape, while the scripts are held", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    const scripts = await holdFrameScripts(page, helpline.origin);
    await page.goto(helpline.partner.page("/urdu-hide", { language: "ur" }));
    const t = catalogue("ur");
    const launcher = page.getByRole("button", { name: launcherName("ur") });

    await clickAccessible(page, "button", launcherName("ur"));
    let frame = await firstPaintFrame(page, helpline.origin);
    const hide = frame.getByRole("button", { name: t.hide });
    await hide.waitFor({ state: "visible", timeout: 30_000 });
    await expect.poll(() => scripts.held(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await frame.locator(".first-paint").count()).toBe(1);
    await hide.click();
    // Nothing runs in the frame yet, so the loader removes it, and focus goes back to the launcher.
    await expect.poll(() => loaderFrameState(page), { timeout: 10_000 }).toBe("absent");
    // The DOM has no frame; Playwright's frame list catches up with the detach a moment later.
    await expect.poll(() => chatFrame(page, helpline.origin), { timeout: 10_000 }).toBeUndefined();
    expect(await launcher.getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-sahara"))).toBe("loader");

    // Escape does the same, from the keyboard alone: the launcher puts focus into the new frame.
    await page.keyboard.press("Enter");
    frame = await firstPaintFrame(page, helpline.origin);
    await frame.getByRole("button", { name: t.hide }).waitFor({ state: "visible", timeout: 30_000 });
    expect(await frame.locator(".first-paint").count()).toBe(1);
    // Not awaited: the frame (another origin, so another renderer) is removed while Chromium
    // still routes the key to it, and the input call may then never be acknowledged.
    void page.keyboard.press("Escape").catch(() => undefined);
    await expect.poll(() => loaderFrameState(page), { timeout: 10_000 }).toBe("absent");

    // Once the app has taken over, its own Hide works as before (the first paint's script is idle).
    await scripts.release();
    await clickAccessible(page, "button", launcherName("ur"));
    frame = await firstPaintFrame(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).waitFor({ timeout: 60_000 });
    expect(await frame.locator(".first-paint").count()).toBe(0);
    await frame.getByRole("button", { name: t.hide }).click();
    await expect.poll(() => loaderFrameState(page), { timeout: 10_000 }).toBe("absent");
  }, 240_000);
});
