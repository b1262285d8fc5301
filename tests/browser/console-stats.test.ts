import { describe, expect, it } from "vitest";
import type { WrapupInput } from "../../server/db/stats-types.ts";
import type { PartnerId } from "../../shared/protocol/index.ts";
import { consoleScreen, ct } from "../support/browser-console.ts";
import { consoleFixture } from "../support/browser-desk.ts";
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
  const fx = consoleFixture();

  it("shows no percentage next to a hidden count, and shows it once counts are not hidden", async () => {
    const helpline = await fx.start();
    for (let i = 0; i < 100; i++) await helpline.instance.repos.stats.record(wrapup(i < 4));
    const { page } = await fx.adminDesk();
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
