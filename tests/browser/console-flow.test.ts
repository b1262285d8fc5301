import { describe, expect, it } from "vitest";
import { containsCanary, makeCanary, makeUrduCanary } from "../support/browser-canary.ts";
import { endChat, submitWrapUp } from "../support/browser-console.ts";
import { composerOf, consoleFixture, counselorSends, queued } from "../support/browser-desk.ts";
import { catalogue, openWidget, sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 1 (in part) and 2 with the real console: first-run setup in the console (org key
 * and admin made in that browser, the admin certifying itself), a survivor on the partner page
 * starts a chat, it shows in the admin's queue and is assigned when the admin becomes
 * available; English and Urdu messages both ways; equal safety codes; End chat with the
 * confirmation, the wrap-up form, and the statistic stored.
 * Every WebSocket frame of both browsers (console page and chat frame), the server's logs and
 * its database are searched for both sides' canaries. `full-flow.test.ts` goes on from here:
 * a second counselor certified through the admin screens, transfer, and the dashboard.
 */
const run = await needService("chromium");

describe.runIf(run)("survivor and console, end to end", () => {
  const fx = consoleFixture();

  it("setup, take, messages both ways, equal safety codes, end, wrap-up; no plaintext anywhere", async () => {
    const { helpline, browser: staff, page: consolePage } = await fx.adminDesk();
    const { browser: survivor, page } = await fx.browser({});
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();

    // The visitor is queued; the admin becomes available and the relay assigns the chat.
    await queued(consolePage, 1);
    await consolePage.locator("#status-select").selectOption("available");
    await composerOf(consolePage).waitFor({ timeout: 60_000 });
    await frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ timeout: 60_000 });
    // The survivor's side has verified the counselor when Send is enabled.
    await expect
      .poll(() => frame.getByRole("button", { name: t.send }).isEnabled(), { timeout: 60_000 })
      .toBe(true);

    // Equal safety codes on both sides.
    const survivorCode = (await frame.locator(".safety strong").textContent())?.trim();
    const consoleCode = (await consolePage.locator("code").first().textContent())?.trim();
    expect(survivorCode).toBeTruthy();
    expect(consoleCode).toBe(survivorCode);

    const fromSurvivor = [makeCanary(), makeUrduCanary()];
    const fromCounselor = [makeCanary(), makeUrduCanary()];
    for (const text of fromSurvivor) await sendMessage(page, frame, text);
    for (const text of fromCounselor) await counselorSends(consolePage, text);
    for (const text of fromSurvivor) await consolePage.getByText(text).waitFor({ timeout: 30_000 });
    for (const text of fromCounselor) await frame.getByText(text).waitFor({ timeout: 30_000 });

    // End, confirm, wrap up.
    await endChat(consolePage);
    await frame.getByRole("heading", { name: t.endedTitle }).waitFor({ timeout: 30_000 });
    await submitWrapUp(consolePage, "whatsapp");
    await expect
      .poll(
        async () =>
          (await helpline.instance.db.db.selectFrom("wrapups").select("platform").execute()).map(
            (r) => r.platform,
          ),
        { timeout: 15_000 },
      )
      .toEqual(["whatsapp"]);

    // Both pages really talked over their sockets, and no frame, request, log line or database
    // file holds what either side typed.
    expect(staff.traffic.framesFrom("page").length).toBeGreaterThan(0);
    expect(survivor.traffic.framesFrom("iframe").length).toBeGreaterThan(0);
    for (const canary of [...fromSurvivor, ...fromCounselor]) {
      for (const b of [staff, survivor]) {
        expect(b.traffic.frames.filter((f) => containsCanary(f.bytes, canary))).toEqual([]);
        expect(b.traffic.requests.filter((r) => `${r.url} ${r.body}`.includes(canary))).toEqual([]);
      }
      expect(helpline.serverHolds(canary)).toEqual({ logs: false, database: [] });
    }
  });
});
