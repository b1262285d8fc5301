import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { makeCanary } from "../support/browser-canary.ts";
import { ct } from "../support/browser-console.ts";
import { ADMIN, composerOf, consoleFixture, counselorSends, queued } from "../support/browser-desk.ts";
import { logIn } from "../support/browser-full-staff.ts";
import { sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * One desk per counselor. The same login opened in a second tab, and the console reloaded
 * mid-chat: before, both tabs answered the visitor's assignment (the tab the counselor was
 * working in said the chat "could not be connected securely" while it ran in the other, which
 * showed Away), and a reloaded console was sent the visitor's messages for a chat it had no keys
 * for (the visitor was told the counselor was back; nobody answered). Now the newest page takes
 * the chat with a fresh handshake, the other says so in plain words and can take it back, and
 * every message typed on either side arrives.
 */
const run = await needService("chromium");

describe.runIf(run)("one desk per counselor", () => {
  const fx = consoleFixture();

  it("a reload keeps the chat; a second tab takes it over and the first can take it back", async () => {
    const { helpline, browser, page: first } = await fx.adminDesk();
    await first.locator("#status-select").selectOption("available");
    const { page: survivorPage, frame } = await fx.widgetSurvivor();
    await expect.poll(() => first.getByRole("tab").count(), { timeout: 30_000 }).toBe(1);

    /** The survivor writes and the page reads it; the page writes and the survivor reads it. */
    const talk = async (page: Page) => {
      const fromSurvivor = `s ${makeCanary()}`;
      const fromCounselor = `c ${makeCanary()}`;
      await sendMessage(survivorPage, frame, fromSurvivor);
      await page.getByText(fromSurvivor).waitFor({ timeout: 60_000 });
      await expect.poll(() => composerOf(page).isEnabled(), { timeout: 30_000 }).toBe(true);
      await counselorSends(page, fromCounselor);
      await frame.getByText(fromCounselor).waitFor({ timeout: 60_000 });
    };
    const replacedAlert = (page: Page) => page.getByRole("alert").filter({ hasText: ct("app.replaced") });
    await talk(first);
    // A reload mid-chat: unlocked again, the chat is there and answers.
    await first.reload();
    await logIn(first, ADMIN);
    await expect.poll(() => first.getByRole("tab").count(), { timeout: 30_000 }).toBe(1);
    await talk(first);
    expect(await first.getByText(ct("chat.failed")).count()).toBe(0);

    // The same login in a second tab of the same browser, unlocked there.
    const second = await browser.context.newPage();
    await second.goto(`${helpline.origin}/console/`);
    await logIn(second, ADMIN);
    await second.evaluate(() => {
      location.hash = "#/chats";
    });
    await replacedAlert(first).waitFor({ timeout: 30_000 });
    expect(await first.getByRole("tab").count()).toBe(0);
    await expect.poll(() => second.getByRole("tab").count(), { timeout: 30_000 }).toBe(1);
    expect(await second.getByText(ct("chat.failed")).count()).toBe(0);
    await talk(second);
    // The new tab shows Away, and the relay has it Away: a new visitor waits, given to no one.
    expect(await second.locator("#status-select").inputValue()).toBe("away");
    await fx.survivor();
    await queued(second, 1);
    expect(await second.getByRole("tab").count()).toBe(1);

    // The first tab takes it back.
    await replacedAlert(first)
      .getByRole("button", { name: ct("app.useHere") })
      .click();
    await first.getByText(ct("login.replaced")).waitFor({ timeout: 15_000 });
    await logIn(first, ADMIN);
    await replacedAlert(second).waitFor({ timeout: 30_000 });
    expect(await second.getByRole("tab").count()).toBe(0);
    await expect.poll(() => first.getByRole("tab").count(), { timeout: 30_000 }).toBe(1);
    await talk(first);
  });
});
