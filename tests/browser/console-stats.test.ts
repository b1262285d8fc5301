import { afterEach, describe, expect, it } from "vitest";
import type { WrapupInput } from "../../server/db/stats-types.ts";
import type { PartnerId } from "../../shared/protocol/index.ts";
import { consoleScreen, ct, setupConsole } from "../support/browser-console.ts";
import { launchBrowser, type ProbedBrowser } from "../support/browser-launch.ts";
import { type Helpline, startHelpline } from "../support/browser-servers.ts";
import { needService } from "../support/services.ts";

/**
 * Statistics with "Hide small counts" on (the default): a hidden count gets no percentage beside
 * it. "Difficult conversations <5 (4%)" of 100 conversations said the count was exactly 4.
 */
const run = await needService("chromium");

const wrapup = (difficult: boolean): WrapupInput => ({
  at: Date.now() - 60 * 60_000,
  timeZone: "UTC",
  durationMs: 20 * 60_000,
  partner: "demo" as PartnerId,
  language: "en",
  platform: "whatsapp",
  harassmentTypes: ["blackmail"],
  outcomes: [],
  followUp: false,
  callerType: "self",
  region: null,
  gender: null,
  referrals: [],
  difficult,
});

describe.runIf(run)("console statistics", () => {
  let helpline: Helpline | undefined;
  const browsers: ProbedBrowser[] = [];
  afterEach(async () => {
    for (const b of browsers.splice(0)) await b.dispose();
    await helpline?.close();
    helpline = undefined;
  });

  it("shows no percentage next to a hidden count, and shows it once counts are not hidden", async () => {
    helpline = await startHelpline();
    for (let i = 0; i < 100; i++) await helpline.instance.repos.stats.record(wrapup(i < 4));
    const staff = await launchBrowser({ viewport: { width: 1280, height: 720 } });
    browsers.push(staff);
    const page = staff.context.pages()[0] ?? (await staff.context.newPage());
    await setupConsole(page, helpline, {
      username: "admin",
      displayName: "Ayesha",
      password: "correct horse battery staple",
    });
    await consoleScreen(page, "#/stats");
    const difficult = page
      .locator(".summary div")
      .filter({ hasText: ct("stats.difficult") })
      .locator("dd");
    await expect.poll(() => difficult.textContent(), { timeout: 30_000 }).toBe("<5");
    await page.getByLabel(ct("stats.hideSmall")).uncheck();
    await expect.poll(() => difficult.textContent()).toBe("4 (4%)");
  });
});
