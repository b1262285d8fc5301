import type { Locator } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { ct, setupConsole } from "../support/browser-console.ts";
import { launchBrowser, type ProbedBrowser } from "../support/browser-launch.ts";
import { type Helpline, startHelpline } from "../support/browser-servers.ts";
import { joinAsSurvivor, type SurvivorClient } from "../support/relay-clients.ts";
import { needService } from "../support/services.ts";

/**
 * Desk defects seen in real use: the tab title counts visitors waiting while the counselor is
 * Away; filing a wrap-up is confirmed; the break offer after a difficult chat is readable
 * (it renders inside the purple top bar, whose white text it used to inherit: white on white).
 */
const run = await needService("chromium");

/** WCAG contrast ratio between an element's text colour and the first opaque background behind it. */
function contrastOf(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r = 0, g = 0, b = 0]: number[]) => {
      const f = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const fg = rgb(getComputedStyle(el).color);
    let node: Element | null = el;
    let bg = [255, 255, 255];
    while (node) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || (c[3] ?? 1) > 0.99)) {
        bg = c;
        break;
      }
      node = node.parentElement;
    }
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x) as [number, number];
    return (a + 0.05) / (b + 0.05);
  });
}

describe.runIf(run)("console desk defects", () => {
  let helpline: Helpline | undefined;
  const browsers: ProbedBrowser[] = [];
  const survivors: SurvivorClient[] = [];
  afterEach(async () => {
    for (const s of survivors.splice(0)) s.disconnect();
    for (const b of browsers.splice(0)) await b.dispose();
    await helpline?.close();
    helpline = undefined;
  });

  it("waiting count in the title while Away, wrap-up confirmed, break offer readable", async () => {
    helpline = await startHelpline();
    const staff = await launchBrowser({ viewport: { width: 1280, height: 720 } });
    browsers.push(staff);
    const page = staff.context.pages()[0] ?? (await staff.context.newPage());
    await setupConsole(page, helpline, {
      username: "admin",
      displayName: "Ayesha",
      password: "correct horse battery staple",
    });
    expect(await page.locator("#status-select").inputValue()).toBe("away");
    expect(await page.title()).toBe(ct("app.name"));

    // A visitor waits; the counselor is Away and on another screen: the title says so.
    survivors.push((await joinAsSurvivor(helpline.origin)).socket);
    await expect.poll(() => page.title(), { timeout: 30_000 }).toBe(`(1) ${ct("app.name")}`);

    // Becoming Available gets it assigned; end it, file a wrap-up marked difficult.
    await page.locator("#status-select").selectOption("available");
    const composer = page.getByRole("textbox", { name: ct("chat.message") });
    await expect.poll(() => composer.isEnabled(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.title()).toBe(ct("app.name"));
    await page
      .getByRole("button", { name: ct("chat.end") })
      .first()
      .click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: ct("chat.end") })
      .click();
    await page.getByRole("heading", { name: ct("wrapup.title") }).waitFor({ timeout: 30_000 });
    await page.locator("#wrapup-platform").selectOption({ index: 1 });
    await page.locator("#wrapup-harassment input[type=checkbox]").first().check();
    await page.locator('input[name="wrapup-caller"]').first().check();
    await page.getByLabel(ct("wrapup.difficult")).check();
    await page.getByRole("button", { name: ct("wrapup.submit") }).click();

    await page
      .getByRole("status")
      .filter({ hasText: ct("wrapup.filed") })
      .waitFor({ timeout: 15_000 });

    const offer = page.getByRole("dialog", { name: ct("break.offerTitle") });
    await offer.waitFor({ timeout: 15_000 });
    for (const text of [
      offer.getByText(ct("break.offer")),
      offer.getByRole("heading", { name: ct("break.offerTitle") }),
      offer.getByText(ct("break.minutes")),
    ]) {
      expect(await contrastOf(text)).toBeGreaterThanOrEqual(4.5);
    }
    await offer.getByRole("button", { name: ct("break.notNow") }).click();
    await offer.waitFor({ state: "detached" });
  });
});
