import type { Frame, Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { containsCanary, makeCanary, makeUrduCanary } from "../support/browser-canary.ts";
import { consoleScreen, ct, endChat, submitWrapUp } from "../support/browser-console.ts";
import { ADMIN, consoleFixture, counselorSends } from "../support/browser-desk.ts";
import { bringInColleague } from "../support/browser-full-staff.ts";
import { catalogue, openWidget, sendMessage, typeSlowly } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 1 of the acceptance list, all through the UI: first-run setup; the admin invites a
 * second counselor on the staff screen, who enrolls at #/enroll in their own browser and is
 * certified by the admin; a survivor chats with counselor 1 (typing and read indicators on both
 * sides), counselor 1 transfers to counselor 2 with a handover note (the survivor sees who
 * joined and a new safety code, equal on both sides), counselor 2 ends and wraps up, and the
 * contact shows in the admin's statistics dashboard. No plaintext in frames, logs or database.
 */
const run = await needService("chromium");

const SECOND = { username: "bilal", displayName: "Bilal", password: "another long passphrase here" };

/** The element's text, trimmed; "" while it does not exist yet (for polling). */
async function textOf(locator: Locator): Promise<string> {
  if ((await locator.count()) === 0) return "";
  return ((await locator.first().textContent()) ?? "").trim();
}

async function consoleCode(page: Page): Promise<string> {
  return (await page.locator(".safety-code code").textContent({ timeout: 30_000 }))?.trim() ?? "";
}

async function widgetCode(frame: Frame): Promise<string> {
  return (await frame.locator(".safety strong").textContent())?.trim() ?? "";
}

describe.runIf(run)("scenario 1: two counselors certified in the console, transfer, statistics", () => {
  const fx = consoleFixture();

  it("invite, enroll, certify, chat with indicators, transfer with note, end, wrap-up, dashboard", async () => {
    // Admin sets up; invites Bilal; Bilal enrolls in another browser; the admin certifies him
    // from the staff list, which shows the enrolled key without leaving the screen.
    const { helpline, browser: adminBrowser, page: admin } = await fx.adminDesk();
    const origin = helpline.origin;
    const t = catalogue("en");
    const { browser: secondBrowser, page: bilal } = await fx.browser();
    await bringInColleague(admin, bilal, origin, SECOND);
    expect(await bilal.getByText(ct("queue.notCertified")).count()).toBe(0);

    // The admin takes the survivor's chat.
    await consoleScreen(admin, "#/chats");
    await admin.locator("#status-select").selectOption("available");
    const { browser: survivorBrowser, page } = await fx.browser({});
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    await admin.getByRole("textbox", { name: ct("chat.message") }).waitFor({ timeout: 60_000 });
    await expect
      .poll(() => frame.getByRole("button", { name: t.send }).isEnabled(), { timeout: 60_000 })
      .toBe(true);
    const firstCode = await widgetCode(frame);
    expect(firstCode).toBeTruthy();
    expect(await consoleCode(admin)).toBe(firstCode);
    const visitorName = (await admin.locator("#chat-title").textContent())?.trim() ?? "";
    expect(visitorName).toBeTruthy();

    // Typing indicators both ways: shown while typing, before anything is sent.
    const fromSurvivor = makeUrduCanary();
    await frame.getByRole("textbox", { name: t.messageLabel }).click();
    await typeSlowly(page, fromSurvivor);
    await expect
      .poll(() => textOf(admin.locator(".typing")), { timeout: 15_000 })
      .toBe(ct("chat.typing").replace("{name}", visitorName));
    await page.keyboard.press("Enter");
    await admin.getByText(fromSurvivor).waitFor({ timeout: 30_000 });

    const fromAdmin = makeCanary();
    await admin.getByRole("textbox", { name: ct("chat.message") }).click();
    await admin.keyboard.type(fromAdmin);
    await expect
      .poll(() => textOf(frame.locator(".typing")), { timeout: 15_000 })
      .toBe(t.typing(ADMIN.displayName));
    await admin.getByRole("button", { name: ct("chat.send"), exact: true }).click();
    await frame.getByText(fromAdmin).waitFor({ timeout: 30_000 });

    // Read indicators both ways: each side's own message is marked read once the other shows it.
    await expect
      .poll(() => textOf(frame.locator("li.msg.mine").filter({ hasText: fromSurvivor }).locator(".meta")), {
        timeout: 15_000,
      })
      .toBe(t.messageState.read);
    await expect
      .poll(
        () =>
          textOf(admin.locator("li.message.mine").filter({ hasText: fromAdmin }).locator(".message-meta")),
        {
          timeout: 15_000,
        },
      )
      .toContain(ct("status.message.read"));

    // While Bilal is away he is listed with the reason, and cannot be chosen; the chat stays.
    const awayDialog = admin.getByRole("dialog", { name: ct("transfer.title") });
    await admin.getByRole("button", { name: ct("chat.transfer") }).click();
    const awayRadio = awayDialog.getByRole("radio", { name: new RegExp(SECOND.displayName) });
    await awayRadio.waitFor({ timeout: 30_000 });
    expect(await awayRadio.isDisabled()).toBe(true);
    expect(await textOf(awayDialog)).toContain(ct("transfer.why.away"));
    expect(await awayDialog.getByRole("button", { name: ct("transfer.submit") }).isDisabled()).toBe(true);
    await awayDialog.getByRole("button", { name: ct("common.cancel") }).click();
    await admin.getByText(fromSurvivor).waitFor({ timeout: 5_000 });

    // Bilal becomes available; the admin transfers with a note only Bilal can read.
    await bilal.locator("#status-select").selectOption("available");
    const note = `${makeCanary()} handover`;
    await admin.getByRole("button", { name: ct("chat.transfer") }).click();
    const dialog = admin.getByRole("dialog", { name: ct("transfer.title") });
    await dialog.getByRole("radio", { name: new RegExp(SECOND.displayName) }).check({ timeout: 30_000 });
    await dialog.getByLabel(ct("transfer.note")).fill(note);
    await dialog.getByRole("button", { name: ct("transfer.submit") }).click();

    const handover = bilal.getByRole("complementary", { name: ct("chat.handover") });
    await handover.waitFor({ timeout: 60_000 });
    // The sealed handover (note and conversation) opens in the worker just after the handshake.
    await expect.poll(() => textOf(handover), { timeout: 30_000 }).toContain(note);
    expect(await textOf(handover)).toContain(ct("chat.handoverFrom").replace("{name}", ADMIN.displayName));
    // The conversation so far came with the handover: Bilal reads both earlier messages.
    await bilal.locator("li.message.earlier").filter({ hasText: fromSurvivor }).waitFor({ timeout: 30_000 });
    await bilal.locator("li.message.earlier").filter({ hasText: fromAdmin }).waitFor({ timeout: 30_000 });
    expect(await textOf(bilal.locator("li.earlier-end"))).toBe(ct("chat.earlierEnd"));
    await frame.getByText(t.joined(SECOND.displayName)).waitFor({ timeout: 60_000 });
    await expect.poll(() => widgetCode(frame), { timeout: 30_000 }).not.toBe(firstCode);
    const secondCode = await widgetCode(frame);
    expect(secondCode).toBeTruthy();
    await expect.poll(() => consoleCode(bilal), { timeout: 30_000 }).toBe(secondCode);

    // Messages with Bilal both ways.
    const toBilal = makeCanary();
    const fromBilal = makeUrduCanary();
    await expect
      .poll(() => frame.getByRole("button", { name: t.send }).isEnabled(), { timeout: 30_000 })
      .toBe(true);
    await sendMessage(page, frame, toBilal);
    await bilal.getByText(toBilal).waitFor({ timeout: 30_000 });
    await counselorSends(bilal, fromBilal);
    await frame.getByText(fromBilal).waitFor({ timeout: 30_000 });

    // Bilal ends and wraps up.
    await endChat(bilal);
    await frame.getByRole("heading", { name: t.endedTitle }).waitFor({ timeout: 30_000 });
    await submitWrapUp(bilal, "whatsapp");
    await expect
      .poll(
        async () => (await helpline.instance.db.db.selectFrom("wrapups").select("platform").execute()).length,
        {
          timeout: 15_000,
        },
      )
      .toBe(1);

    // The admin's dashboard draws the one contact (small counts shown, so 1 is not hidden).
    await consoleScreen(admin, "#/stats");
    await admin.getByRole("heading", { name: ct("stats.title") }).waitFor();
    await admin.getByRole("checkbox", { name: ct("stats.hideSmall") }).uncheck();
    const total = admin
      .locator("dl.summary > div")
      .filter({ hasText: ct("stats.total") })
      .locator("dd");
    await expect.poll(() => textOf(total), { timeout: 15_000 }).toBe("1");
    // Service level: the one chat was offered and answered once (the handover to Bilal is not a
    // second answer), counted by the relay without any session id.
    const service = (key: Parameters<typeof ct>[0]) =>
      admin
        .locator("section.service dl.summary > div")
        .filter({ hasText: ct(key) })
        .locator("dd");
    expect(await textOf(service("stats.offered"))).toBe("1");
    expect(await textOf(service("stats.answered"))).toBe("1 (100%)");
    expect(await textOf(service("stats.abandoned"))).toBe("0");
    const byPlatform = admin
      .locator("figure")
      .filter({ has: admin.getByText(ct("stats.byPlatform"), { exact: true }) });
    await byPlatform.getByText(ct("stats.asTable")).click();
    const whatsapp = byPlatform.getByRole("row", { name: ct("platform.whatsapp") });
    expect(await whatsapp.getByRole("cell").allTextContents()).toContain("1");

    // No frame, request, log line or database file holds what anyone typed, the note included.
    for (const canary of [fromSurvivor, fromAdmin, toBilal, fromBilal, note.split(" ")[0] ?? note]) {
      for (const b of [adminBrowser, secondBrowser, survivorBrowser]) {
        expect(b.traffic.frames.filter((f) => containsCanary(f.bytes, canary))).toEqual([]);
        expect(b.traffic.requests.filter((r) => `${r.url} ${r.body}`.includes(canary))).toEqual([]);
      }
      expect(helpline.serverHolds(canary)).toEqual({ logs: false, database: [] });
    }
  });
});
