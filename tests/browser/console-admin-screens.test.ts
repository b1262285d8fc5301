import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { consoleLanguage, consoleScreen, ct } from "../support/browser-console.ts";
import { ADMIN, consoleFixture } from "../support/browser-desk.ts";
import { needService } from "../support/services.ts";

/**
 * Administration screens as they are used: Edit on a row far above the form brings the form into
 * view with focus on its first field; the chat-limit field shows its whole placeholder in English
 * and Urdu; every cell of a row (the Actions cell too) shares the row's bottom border; holidays
 * read as dates, not ISO strings. (The staff list updating by itself when an invitee enrolls is
 * proven in console-transfer.test.ts, whose admin certifies without leaving the screen.)
 */
const run = await needService("chromium");

const VIEWPORT = { width: 1280, height: 480 };

/** Placeholder text wider than the room an input gives it (text box minus padding and, for numbers, the spinner). */
function placeholderOverflow(input: Locator): Promise<number> {
  return input.evaluate((el) => {
    const box = el as HTMLInputElement;
    const css = getComputedStyle(box);
    const context = document.createElement("canvas").getContext("2d");
    if (!context) throw new Error("no canvas");
    context.font = css.font;
    const text = context.measureText(box.placeholder).width;
    // Chromium draws the number spinner inside the text box: 15 px at the default zoom.
    const spinner = box.type === "number" ? 15 : 0;
    const room =
      box.clientWidth -
      Number.parseFloat(css.paddingInlineStart) -
      Number.parseFloat(css.paddingInlineEnd) -
      spinner;
    return text - room;
  });
}

/** For each body row of each table on the page, how far apart its cells' bottom edges are (px). */
function rowBorderSpread(page: Page): Promise<number[]> {
  return page.locator("table tbody tr").evaluateAll((rows) =>
    rows.map((row) => {
      const bottoms = [...row.children].map((cell) => cell.getBoundingClientRect().bottom);
      return Math.max(...bottoms) - Math.min(...bottoms);
    }),
  );
}

describe.runIf(run)("console administration screens", () => {
  const fx = consoleFixture();

  it("edit forms come into view with focus; placeholders whole; row borders line up; readable holiday dates", async () => {
    const { page } = await fx.adminDesk(ADMIN, { viewport: VIEWPORT });

    // Referrals: the form opens below a long list, so it must be brought into view.
    await consoleScreen(page, "#/admin/referrals");
    const add = page.getByRole("button", { name: ct("referrals.add") });
    await add.waitFor({ timeout: 30_000 });
    expect((await add.boundingBox())?.y ?? 0).toBeGreaterThan(VIEWPORT.height);
    const rows = page.getByRole("row").filter({ has: page.getByRole("button", { name: ct("common.edit") }) });
    await rows
      .first()
      .getByRole("button", { name: ct("common.edit") })
      .click();
    const form = page.getByRole("form", { name: ct("referrals.edit") });
    await form.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest("form")?.getAttribute("aria-label")))
      .toBe(ct("referrals.edit"));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("referral-language");
    const box = await form.boundingBox();
    expect(box && box.y >= 0 && box.y < VIEWPORT.height).toBe(true);
    // A second Edit while the form is open (scrolled away from it) brings it back.
    await page.evaluate(() => window.scrollTo(0, 0));
    await rows
      .nth(1)
      .getByRole("button", { name: ct("common.edit") })
      .click();
    await expect.poll(async () => (await form.boundingBox())?.y ?? -1).toBeLessThan(VIEWPORT.height);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("referral-language");
    for (const spread of await rowBorderSpread(page)) expect(spread).toBeLessThan(1);

    for (const language of ["en", "ur"] as const) {
      await consoleLanguage(page, language);

      // Staff: the chat-limit field's placeholder ("default") is not cut off.
      await consoleScreen(page, "#/admin/staff");
      const limit = page.getByRole("spinbutton", { name: ct("field.chatLimit", language) }).first();
      await limit.waitFor({ timeout: 30_000 });
      expect(await limit.getAttribute("placeholder")).toBe(ct("staff.default", language));
      expect(await placeholderOverflow(limit), language).toBeLessThanOrEqual(0);
      for (const spread of await rowBorderSpread(page)) expect(spread, `staff ${language}`).toBeLessThan(1);

      // Hours: a holiday reads as a date in the console's language; every row's borders line up.
      await consoleScreen(page, "#/admin/hours");
      await page.getByLabel(ct("hours.date", language), { exact: true }).fill("2026-12-25");
      await page.getByLabel(ct("hours.label", language), { exact: true }).fill("Quaid Day");
      await page.getByRole("button", { name: ct("hours.addHoliday", language) }).click();
      const holiday = page.locator("li").filter({ hasText: "Quaid Day" });
      const text = (await holiday.textContent({ timeout: 10_000 })) ?? "";
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(text).toContain(language === "ur" ? "دسمبر" : "25 December 2026");
      await page
        .getByRole("button", { name: ct("hours.addRange", language) })
        .first()
        .click();
      for (const spread of await rowBorderSpread(page)) expect(spread, `hours ${language}`).toBeLessThan(1);
    }
  });
});
