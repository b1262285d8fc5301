import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ct } from "../support/browser-console.ts";
import { composerOf, consoleFixture, dialogReady, queued } from "../support/browser-desk.ts";
import { needService } from "../support/services.ts";

/**
 * Every shortcut Help and the README list, pressed as real keys in Chromium (Alt+N, Alt+1…9,
 * Alt+M, Ctrl+Enter, Alt+C, Alt+R, Alt+T, Alt+E, Alt+H, ?, Esc), the chat tabs' arrow keys,
 * focus kept inside modal dialogs, and the canned-response picker: it leaves the conversation in
 * view, hands focus back to the message box, and a second insert starts a paragraph of its own.
 * The survivors are Node clients queued through the real relay; the counselor is the console.
 */
const run = await needService("chromium");

const active = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { id: el?.id ?? "", inDialog: Boolean(el?.closest('[role="dialog"]')), tag: el?.tagName ?? "" };
  });

const selectedTab = (page: Page) =>
  page.getByRole("tab", { selected: true }).getAttribute("id", { timeout: 10_000 });

describe.runIf(run)("console keyboard", () => {
  const fx = consoleFixture();

  it("every documented shortcut, arrow keys on chat tabs, focus trapped in dialogs, inserts", async () => {
    const { page } = await fx.adminDesk();
    const tabs = page.getByRole("tab");

    // Alt+N takes the longest-waiting chat, twice.
    await fx.survivor();
    await queued(page, 1);
    await page.locator("body").click({ position: { x: 5, y: 200 } });
    await page.keyboard.press("Alt+KeyN");
    await expect.poll(() => tabs.count(), { timeout: 30_000 }).toBe(1);
    await fx.survivor();
    await queued(page, 1);
    await page.keyboard.press("Alt+KeyN");
    await expect.poll(() => tabs.count(), { timeout: 30_000 }).toBe(2);
    const ids = await tabs.evaluateAll((els) => els.map((e) => e.id));
    // Both chats become active (the handshake went out) before the chat commands apply.
    const composer = composerOf(page);
    await expect.poll(() => composer.isEnabled(), { timeout: 30_000 }).toBe(true);

    // Alt+1 and Alt+2 switch chats.
    await page.keyboard.press("Alt+Digit1");
    await expect.poll(() => selectedTab(page)).toBe(ids[0]);
    await page.keyboard.press("Alt+Digit2");
    await expect.poll(() => selectedTab(page)).toBe(ids[1]);

    // ARIA tabs: one tab stop, arrows move and select (wrapping), Home and End.
    expect(await tabs.evaluateAll((els) => els.map((e) => e.getAttribute("tabindex")))).toEqual(["-1", "0"]);
    await tabs.nth(1).focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => selectedTab(page)).toBe(ids[0]);
    expect((await active(page)).id).toBe(ids[0]);
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => selectedTab(page)).toBe(ids[1]);
    await page.keyboard.press("Home");
    await expect.poll(() => selectedTab(page)).toBe(ids[0]);
    await page.keyboard.press("End");
    await expect.poll(() => selectedTab(page)).toBe(ids[1]);
    expect((await active(page)).id).toBe(ids[1]);

    // Alt+M goes to the message box; Ctrl+Enter sends.
    await page.keyboard.press("Alt+KeyM");
    await expect.poll(async () => (await active(page)).id).toBe("composer-input");
    await page.keyboard.type("First words");
    await page.keyboard.press("Control+Enter");
    const log = page.getByRole("log", { name: ct("chat.messages") });
    await log.getByText("First words").waitFor({ timeout: 15_000 });
    expect(await composer.inputValue()).toBe("");

    // Alt+C: the picker leaves the conversation in view, undimmed.
    await page.keyboard.press("Alt+KeyC");
    const canned = await dialogReady(page, ct("canned.title"));
    const dialogBox = await canned.boundingBox();
    const logBox = await log.boundingBox();
    expect(dialogBox && logBox).toBeTruthy();
    const overlap =
      Math.min(dialogBox!.x + dialogBox!.width, logBox!.x + logBox!.width) -
      Math.max(dialogBox!.x, logBox!.x);
    expect(overlap).toBeLessThanOrEqual(0);
    const dim = await page.locator(".backdrop").evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(dim).toMatch(/rgba\(0, 0, 0, 0\)|transparent/);

    // Focus stays in the dialog, forwards and backwards, however far one tabs.
    const stops = await canned.locator("button, input").count();
    for (let i = 0; i < stops + 2; i++) {
      await page.keyboard.press("Tab");
      expect((await active(page)).inDialog).toBe(true);
    }
    for (let i = 0; i < stops + 2; i++) {
      await page.keyboard.press("Shift+Tab");
      expect((await active(page)).inDialog).toBe(true);
    }

    // Inserting hands focus back to the message box; a second insert is its own paragraph.
    const picks = canned.locator("button.pick");
    const first = (await picks.nth(0).locator(".pick-body").textContent()) ?? "";
    const second = (await picks.nth(1).locator(".pick-body").textContent()) ?? "";
    expect(first).not.toBe("");
    await picks.nth(0).click();
    await canned.waitFor({ state: "detached" });
    await expect.poll(async () => (await active(page)).id).toBe("composer-input");
    expect(await composer.inputValue()).toBe(first);
    await page.keyboard.press("Alt+KeyC");
    await canned.locator("button.pick").nth(1).click();
    await expect.poll(async () => (await active(page)).id).toBe("composer-input");
    expect(await composer.inputValue()).toBe(`${first}\n\n${second}`);
    await page.keyboard.press("Control+Enter");
    await expect.poll(() => composer.inputValue()).toBe("");
    await expect.poll(() => log.locator(".message.mine").count()).toBe(2);

    // Alt+R opens the referrals; Esc closes and focus goes back where it was.
    await page.keyboard.press("Alt+KeyR");
    const referrals = await dialogReady(page, ct("referrals.title"));
    await page.keyboard.press("Escape");
    await referrals.waitFor({ state: "detached" });
    await expect.poll(async () => (await active(page)).id).toBe("composer-input");

    // Alt+T opens the transfer dialog, Alt+E the end confirmation; Esc closes each.
    await page.keyboard.press("Alt+KeyT");
    const transfer = await dialogReady(page, ct("transfer.title"));
    await page.keyboard.press("Escape");
    await transfer.waitFor({ state: "detached" });
    await page.keyboard.press("Alt+KeyE");
    const end = await dialogReady(page, ct("chat.endTitle"));
    // The confirmation traps focus too (two buttons and the close button).
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press("Tab");
      expect((await active(page)).inDialog).toBe(true);
    }
    await page.keyboard.press("Escape");
    await end.waitFor({ state: "detached" });
    expect(await tabs.count()).toBe(2);

    // Alt+H from inside the message box, and ? from outside a field, open Help. Escape is pressed
    // once Help has focus (it moves in before the dialog is painted): a key pressed earlier went
    // to the control behind it, and Help stayed open.
    const help = page.getByRole("dialog", { name: ct("help.title") });
    await composer.focus();
    await page.keyboard.press("Alt+KeyH");
    await dialogReady(page, ct("help.title"));
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });
    // Help gives focus back to the message box a moment after it closes: focus the tab until it
    // keeps focus (a "?" typed into the message box would open nothing).
    const firstTab = tabs.nth(0);
    await expect
      .poll(
        async () => {
          await firstTab.focus();
          await page.waitForTimeout(150);
          return firstTab.evaluate((el) => el === document.activeElement);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    await page.keyboard.press("Shift+Slash");
    await dialogReady(page, ct("help.title"));
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });
    // Escape straight after Alt+H, with no wait at all, still leaves Help closed.
    await page.keyboard.press("Alt+KeyH");
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached", timeout: 10_000 });
    // Focus put somewhere the moment a dialog goes (a click into the message box) stays there:
    // focus goes back only when it was lost with the dialog. The focus is moved as soon as Help
    // leaves the page, before the dialog's own hand-back runs; before, it was pulled back to the
    // tab, and the next "?" opened Help again.
    await firstTab.focus();
    await page.keyboard.press("Alt+KeyH");
    await dialogReady(page, ct("help.title"));
    await page.evaluate(() => {
      const w = window as unknown as { helpGone?: Promise<void> };
      w.helpGone = new Promise<void>((resolve) => {
        const watch = new MutationObserver(() => {
          if (document.querySelector('[role="dialog"]')) return;
          watch.disconnect();
          document.getElementById("composer-input")?.focus();
          resolve();
        });
        watch.observe(document.body, { childList: true, subtree: true });
      });
    });
    await page.keyboard.press("Escape");
    await page.evaluate(() => (window as unknown as { helpGone: Promise<void> }).helpGone);
    await page.waitForTimeout(200);
    expect((await active(page)).id).toBe("composer-input");
    expect(await help.count()).toBe(0);
    // ? typed in the message box is text, not a command.
    await page.keyboard.type("?");
    expect(await help.count()).toBe(0);
    expect(await composer.inputValue()).toBe("?");
  });
});
