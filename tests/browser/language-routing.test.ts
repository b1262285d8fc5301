import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { consoleScreen, ct } from "../support/browser-console.ts";
import { ADMIN, BILAL, consoleFixture } from "../support/browser-desk.ts";
import { catalogue, chooseLanguage, openWidget } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Routing by language with the real console in two browsers: the admin (Ayesha) counsels in
 * English only and Bilal in Urdu only, both set on the staff screen. A survivor who chooses
 * Urdu waits while only Ayesha is available (the supervision screen shows the Urdu wait), and
 * is given to Bilal as soon as he is available, never to Ayesha.
 */
const run = await needService("chromium");

function staffRow(admin: Page, displayName: string): Locator {
  return admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: displayName }) });
}

/** Unticks one language in a member's row and waits until the saved list shows it unticked. */
async function untick(admin: Page, displayName: string, language: "en" | "ur"): Promise<void> {
  const box = staffRow(admin, displayName).getByRole("checkbox", { name: ct(`language.${language}`) });
  await box.click();
  await expect.poll(() => box.isChecked(), { timeout: 15_000 }).toBe(false);
}

/** The cells of the supervision screen's "Waiting by language" row for Urdu. */
async function urduWaits(admin: Page): Promise<string[]> {
  const table = admin.getByRole("table", { name: ct("supervise.byLanguage") });
  const row = table
    .getByRole("row")
    .filter({ has: admin.getByRole("rowheader", { name: ct("language.ur") }) });
  if ((await row.count()) === 0) return [];
  return (await row.getByRole("cell").allTextContents()).map((c) => c.trim());
}

describe.runIf(run)("routing by language", () => {
  const fx = consoleFixture();

  it("an Urdu chat waits for a counselor who speaks Urdu and goes to him, not to the English-only admin", async () => {
    const { helpline, page: admin } = await fx.adminDesk();
    const { page: bilal } = await fx.colleagueDesk(admin);

    // Ayesha: English only. Bilal: Urdu only.
    await untick(admin, ADMIN.displayName, "ur");
    await untick(admin, BILAL.displayName, "en");

    // Ayesha is available; Bilal is not yet.
    await admin.locator("#status-select").selectOption("available");
    await consoleScreen(admin, "#/supervise");

    const { page } = await fx.browser({});
    const t = catalogue("ur");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await chooseLanguage(frame, "ur");
    await frame.getByRole("button", { name: t.startButton }).click();

    // The Urdu chat waits although Ayesha is free: one waiting, nobody available who speaks Urdu.
    await expect.poll(() => urduWaits(admin), { timeout: 60_000 }).toEqual(["1", expect.any(String), "0"]);

    // Bilal becomes available and the chat is his.
    await bilal.locator("#status-select").selectOption("available");
    await bilal.getByRole("textbox", { name: ct("chat.message") }).waitFor({ timeout: 60_000 });
    await frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ timeout: 60_000 });
    await expect.poll(() => urduWaits(admin), { timeout: 30_000 }).toEqual(["0", "–", "1"]);
    // Ayesha holds no chat.
    await consoleScreen(admin, "#/chats");
    expect(await admin.getByRole("textbox", { name: ct("chat.message") }).count()).toBe(0);
  });
});
