import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ct } from "../support/browser-console.ts";
import { launchBrowser, type ProbedBrowser } from "../support/browser-launch.ts";
import { type Helpline, startHelpline } from "../support/browser-servers.ts";
import { needService } from "../support/services.ts";

/**
 * Setup asks for the one-time code the server printed at first start. Typed wrong, the console
 * says so at the field (and nothing is created); typed right (lower case, with spaces, as
 * someone copying it by hand might), setup goes through, on a desktop and a phone viewport.
 */
const run = await needService("chromium");

describe.runIf(run)("console setup code", () => {
  let helpline: Helpline | undefined;
  let browser: ProbedBrowser | undefined;
  afterEach(async () => {
    await browser?.dispose();
    await helpline?.close();
    browser = undefined;
    helpline = undefined;
  });

  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 390, height: 844 },
  ]) {
    it(`refuses a wrong code at its field, then sets up with the right one (${viewport.width}px)`, async () => {
      helpline = await startHelpline();
      const code = helpline.instance.setupCode;
      expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
      browser = await launchBrowser({ viewport });
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(`${helpline.origin}/console/`);
      await page.getByRole("heading", { name: ct("setup.title") }).waitFor({ timeout: 30_000 });
      const codeField = page.getByLabel(ct("setup.code"), { exact: true });
      await codeField.click();
      await page.keyboard.type("AAAA-BBBB-CCCC-DDDD");
      await page.getByLabel(ct("field.username"), { exact: true }).fill("admin");
      await page.getByLabel(ct("field.displayName"), { exact: true }).fill("Admin");
      await page.getByLabel(ct("field.newPassword"), { exact: true }).fill("a long passphrase for the test");
      await page
        .getByLabel(ct("field.repeatPassword"), { exact: true })
        .fill("a long passphrase for the test");
      await page.getByRole("button", { name: ct("setup.submit") }).click();
      await page.getByText(ct("error.invalid-setup-code")).waitFor({ timeout: 90_000 });
      expect(await codeField.getAttribute("aria-invalid")).toBe("true");
      expect(await helpline.instance.repos.org.get()).toBeNull();

      await codeField.fill("");
      await codeField.click();
      await page.keyboard.type(` ${(code ?? "").toLowerCase().replaceAll("-", " ")} `);
      await page.keyboard.press("Enter");
      await page.getByRole("navigation", { name: ct("nav.main") }).waitFor({ timeout: 90_000 });
      expect(await helpline.instance.repos.org.get()).not.toBeNull();
      expect(existsSync(join(helpline.dataDir, "setup-code"))).toBe(false);
    });
  }
});
