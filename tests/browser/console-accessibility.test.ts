import { afterEach, describe, expect, it } from "vitest";
import { seriousViolations } from "../support/browser-axe.ts";
import { CONSOLE_SCREENS, consoleLanguage, consoleScreen, setupConsole } from "../support/browser-console.ts";
import { launchBrowser, type ProbedBrowser } from "../support/browser-launch.ts";
import { type Helpline, startHelpline } from "../support/browser-servers.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 9, console part: axe-core finds no serious or critical WCAG 2.1 A/AA violation on
 * the setup screen and on the main console screens (chats, supervision, every administration
 * section, statistics), in English and in Urdu, where the page is right-to-left. The console's
 * own strict CSP stays on: axe is evaluated over the DevTools protocol.
 */
const run = await needService("chromium");

describe.runIf(run)("console accessibility", () => {
  let helpline: Helpline | undefined;
  let browser: ProbedBrowser | undefined;
  afterEach(async () => {
    await browser?.dispose();
    await helpline?.close();
    browser = undefined;
    helpline = undefined;
  });

  it("setup and main screens, English and Urdu", async () => {
    helpline = await startHelpline();
    browser = await launchBrowser({ viewport: { width: 1280, height: 720 } });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${helpline.origin}/console/`);
    await page.waitForLoadState("networkidle");
    expect(await seriousViolations(page), "setup").toEqual([]);
    await setupConsole(page, helpline, {
      username: "admin",
      displayName: "Admin",
      password: "a long passphrase for the test",
    });
    const failures: string[] = [];
    for (const language of ["en", "ur"] as const) {
      await consoleLanguage(page, language);
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(language === "ur" ? "rtl" : "ltr");
      for (const screen of CONSOLE_SCREENS) {
        await consoleScreen(page, screen);
        for (const v of await seriousViolations(page)) {
          failures.push(`${language} ${screen}: ${v.id} (${v.impact}) ${v.help} at ${v.targets.join(", ")}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
