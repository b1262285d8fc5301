import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ct } from "../support/browser-console.ts";
import { ADMIN, composerOf, consoleFixture } from "../support/browser-desk.ts";
import { logIn } from "../support/browser-full-staff.ts";
import { needService } from "../support/services.ts";

/**
 * The server restarts under an open console with a chat running: first a crash (connections
 * drop, nobody is told), then a graceful restart (SIGTERM's path: clients told, then cut off).
 * Each time the console must say the service forgot its login, mark the chat ended "This chat
 * ended when the service restarted", ask to log in again, and once logged in be Available again
 * as the counselor had chosen (the relay really assigns the next chat to it). A message typed
 * while the server is down never shows "sent".
 */
const run = await needService("chromium");

/** The status line under each of the counselor's messages, oldest first ("12:01 · sent"). */
const myStatuses = (page: Page) =>
  page
    .locator(".message.mine .message-meta")
    .evaluateAll((els) => els.map((e) => (e.textContent ?? "").split(" · ").at(-1) ?? ""));

describe.runIf(run)("console across a server restart", () => {
  const fx = consoleFixture();

  it("after a crash and after a graceful restart: says so, ends the chat, asks to log in, restores Available", async () => {
    const { helpline: h, page } = await fx.adminDesk();
    const status = page.locator("#status-select");
    const composer = composerOf(page);
    const tabs = page.getByRole("tab");

    await status.selectOption("available");
    await expect.poll(() => status.inputValue()).toBe("available");

    for (const how of ["crash", "graceful"] as const) {
      // A chat running: assigned by the relay, a message the relay took ("sent").
      const visitor = await fx.survivor();
      await expect.poll(() => tabs.count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => composer.isEnabled(), { timeout: 30_000 }).toBe(true);
      await composer.fill(`Before the ${how}`);
      await page.keyboard.press("Control+Enter");
      await expect.poll(() => myStatuses(page), { timeout: 15_000 }).toEqual([ct("status.message.sent")]);

      await h.stop(how);
      if (how === "crash") {
        // Typed while the server is away: the socket holds it, the relay never answers it.
        await page.getByText(ct("app.reconnecting")).waitFor({ timeout: 30_000 });
        await composer.fill("While the server is down");
        await page.keyboard.press("Control+Enter");
        await expect
          .poll(() => myStatuses(page))
          .toEqual([ct("status.message.sent"), ct("status.message.sending")]);
      }
      await h.start();

      // The console notices, in plain words, and ends the chat the relay no longer knows.
      const alert = page.getByRole("alert").filter({ hasText: ct("app.loginLost") });
      await alert.waitFor({ timeout: 60_000 });
      await page.getByText(ct("ended.server-shutdown")).waitFor({ timeout: 15_000 });
      expect(await page.getByText(ct("app.reconnecting")).count()).toBe(0);
      expect(await myStatuses(page)).toEqual([]);
      // It does not pretend to be on duty.
      expect(await status.inputValue()).toBe("away");

      // Log in again: the reason is given, and the chosen status comes back.
      await alert.getByRole("button", { name: ct("app.loginAgain") }).click();
      await page.getByText(ct("login.restarted")).waitFor({ timeout: 15_000 });
      await logIn(page, ADMIN);
      await expect.poll(() => status.inputValue(), { timeout: 30_000 }).toBe("available");
      expect(await tabs.count()).toBe(0);
      visitor.socket.disconnect();
    }

    // The relay really has this counselor as available: a new visitor is assigned at once.
    await fx.survivor();
    await expect.poll(() => tabs.count(), { timeout: 30_000 }).toBe(1);
  });
});
