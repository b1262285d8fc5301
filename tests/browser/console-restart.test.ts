import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { ct, setupConsole } from "../support/browser-console.ts";
import { launchBrowser, type ProbedBrowser } from "../support/browser-launch.ts";
import { type Helpline, startHelpline } from "../support/browser-servers.ts";
import { joinAsSurvivor, type SurvivorClient } from "../support/relay-clients.ts";
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

const ACCOUNT = { username: "admin", displayName: "Ayesha", password: "correct horse battery staple" };

/** The status line under each of the counselor's messages, oldest first ("12:01 · sent"). */
const myStatuses = (page: Page) =>
  page
    .locator(".message.mine .message-meta")
    .evaluateAll((els) => els.map((e) => (e.textContent ?? "").split(" · ").at(-1) ?? ""));

describe.runIf(run)("console across a server restart", () => {
  let helpline: Helpline | undefined;
  const browsers: ProbedBrowser[] = [];
  const survivors: SurvivorClient[] = [];
  afterEach(async () => {
    for (const s of survivors.splice(0)) s.disconnect();
    for (const b of browsers.splice(0)) await b.dispose();
    await helpline?.close();
    helpline = undefined;
  });

  it("after a crash and after a graceful restart: says so, ends the chat, asks to log in, restores Available", async () => {
    helpline = await startHelpline();
    const h = helpline;
    const staff = await launchBrowser({ viewport: { width: 1280, height: 720 } });
    browsers.push(staff);
    const page = staff.context.pages()[0] ?? (await staff.context.newPage());
    await setupConsole(page, h, ACCOUNT);
    const status = page.locator("#status-select");
    const composer = page.getByRole("textbox", { name: ct("chat.message") });
    const tabs = page.getByRole("tab");

    await status.selectOption("available");
    await expect.poll(() => status.inputValue()).toBe("available");

    for (const how of ["crash", "graceful"] as const) {
      // A chat running: assigned by the relay, a message the relay took ("sent").
      survivors.push((await joinAsSurvivor(h.origin)).socket);
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
      await page.getByLabel(ct("field.username"), { exact: true }).fill(ACCOUNT.username);
      await page.getByLabel(ct("field.password"), { exact: true }).fill(ACCOUNT.password);
      await page.getByRole("button", { name: ct("login.submit") }).click();
      await page.getByRole("navigation", { name: ct("nav.main") }).waitFor({ timeout: 90_000 });
      await expect.poll(() => status.inputValue(), { timeout: 30_000 }).toBe("available");
      expect(await tabs.count()).toBe(0);
      for (const s of survivors.splice(0)) s.disconnect();
    }

    // The relay really has this counselor as available: a new visitor is assigned at once.
    survivors.push((await joinAsSurvivor(h.origin)).socket);
    await expect.poll(() => tabs.count(), { timeout: 30_000 }).toBe(1);
  });
});
