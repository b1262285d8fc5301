import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { Transferring } from "../../shared/protocol/index.ts";
import { makeCanary, makeUrduCanary } from "../support/browser-canary.ts";
import { consoleScreen, ct } from "../support/browser-console.ts";
import { BILAL, composerOf, consoleFixture, counselorSends } from "../support/browser-desk.ts";
import { catalogue, sendMessage } from "../support/browser-widget.ts";
import { collect, next, opaque, request } from "../support/relay-clients.ts";
import { needService } from "../support/services.ts";

/**
 * Transfers with real clicks in two staff browsers. (a) Bilal is available and already holds one
 * chat of his limit of two: the admin's chat with a survivor in the widget is handed to him, he
 * reads the conversation so far from the sealed handover, and the admin's unsent draft stays on
 * screen until Bilal's handshake confirms the handover. (b) Bilal closes his browser while a
 * handover to him is under way (the survivor, scripted here, has not answered with a fresh key
 * yet): the admin is told and decides, the chat is not given back or queued on its own, and
 * "Take it back" brings it back with the draft. The Away case is in full-flow.test.ts.
 */
const run = await needService("chromium");

describe.runIf(run)("transfer between two staff browsers", () => {
  const fx = consoleFixture();

  it("hands over to a colleague with room, then survives the colleague leaving mid-handover", async () => {
    const { page: admin } = await fx.adminDesk();
    const { browser: bilalBrowser, page: bilal } = await fx.colleagueDesk(admin);
    await consoleScreen(admin, "#/chats");
    const adminTabs = admin.getByRole("tab");
    const bilalTabs = bilal.getByRole("tab");
    const composer = composerOf(admin);
    const handingOver = ct("chat.handingOver").replace("{name}", BILAL.displayName);

    // Bilal, available, is given a chat of his own: one of his two.
    await bilal.locator("#status-select").selectOption("available");
    const first = await fx.survivor();
    await expect.poll(() => bilalTabs.count(), { timeout: 30_000 }).toBe(1);

    // The admin becomes available; a survivor starts in the widget and (fewest chats first) gets the admin.
    await admin.locator("#status-select").selectOption("available");
    const { page: survivorPage, frame } = await fx.widgetSurvivor();
    const t = catalogue("en");
    await expect.poll(() => adminTabs.count(), { timeout: 30_000 }).toBe(1);
    const fromSurvivor = makeUrduCanary();
    const fromAdmin = makeCanary();
    await sendMessage(survivorPage, frame, fromSurvivor);
    await admin.getByText(fromSurvivor).waitFor({ timeout: 30_000 });
    await counselorSends(admin, fromAdmin);
    await frame.getByText(fromAdmin).waitFor({ timeout: 30_000 });
    const draft = `Unsent ${makeCanary()}`;
    await composer.fill(draft);

    // Every time the page changes while "Handing over" shows, what the message box holds.
    await admin.evaluate((text) => {
      const seen: string[] = [];
      (window as unknown as { draftsWhileHandingOver: string[] }).draftsWhileHandingOver = seen;
      new MutationObserver(() => {
        const shown = [...document.querySelectorAll('[role="status"]')].some((e) =>
          e.textContent?.includes(text),
        );
        const box = document.getElementById("composer-input") as HTMLTextAreaElement | null;
        if (shown && box) seen.push(box.value);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    }, handingOver);

    const dialog = admin.getByRole("dialog", { name: ct("transfer.title") });
    await admin.getByRole("button", { name: ct("chat.transfer") }).click();
    const toBilal = dialog.getByRole("radio", { name: new RegExp(BILAL.displayName) });
    await expect.poll(() => toBilal.isEnabled(), { timeout: 30_000 }).toBe(true);
    const load = ct("transfer.load").replace("{chats}", "1").replace("{limit}", "2");
    expect(await dialog.locator("label").filter({ hasText: BILAL.displayName }).textContent()).toContain(
      load,
    );
    await toBilal.check();
    const note = `Note ${makeCanary()}`;
    await dialog.getByLabel(ct("transfer.note")).fill(note);
    await dialog.getByRole("button", { name: ct("transfer.submit") }).click();

    // Bilal has both chats; the handed one carries the note and the conversation so far.
    await expect.poll(() => bilalTabs.count(), { timeout: 60_000 }).toBe(2);
    await bilalTabs.nth(1).click();
    const handover = bilal.getByRole("complementary", { name: ct("chat.handover") });
    await handover.getByText(note).waitFor({ timeout: 30_000 });
    for (const text of [fromSurvivor, fromAdmin])
      await bilal.locator("li.message.earlier").filter({ hasText: text }).waitFor({ timeout: 30_000 });
    await frame.getByText(t.joined(BILAL.displayName)).waitFor({ timeout: 60_000 });
    // Confirmed: the chat leaves the admin's desk; until then the draft was on screen, untouched.
    await expect.poll(() => adminTabs.count(), { timeout: 30_000 }).toBe(0);
    const drafts = await admin.evaluate(
      () => (window as unknown as { draftsWhileHandingOver: string[] }).draftsWhileHandingOver,
    );
    expect(drafts.length).toBeGreaterThan(0);
    expect(new Set(drafts)).toEqual(new Set([draft]));

    // (b) Bilal's first visitor leaves (room for one again); a scripted survivor gets the admin.
    first.socket.disconnect();
    const second = await fx.survivor();
    const survivorSocket = second.socket as unknown as Socket;
    const asked = collect<Transferring>(survivorSocket, "transferring");
    await expect.poll(() => adminTabs.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => composer.isEnabled(), { timeout: 30_000 }).toBe(true);
    const draft2 = `Still unsent ${makeCanary()}`;
    await composer.fill(draft2);
    await admin.getByRole("button", { name: ct("chat.transfer") }).click();
    await expect.poll(() => toBilal.isEnabled(), { timeout: 30_000 }).toBe(true);
    await toBilal.check();
    await dialog.getByRole("button", { name: ct("transfer.submit") }).click();
    await admin.getByRole("status").filter({ hasText: handingOver }).waitFor({ timeout: 30_000 });
    await expect.poll(() => asked.length, { timeout: 30_000 }).toBe(1);

    // The survivor has not answered yet: Bilal closes his browser in the middle of the handover.
    await bilalBrowser.close();
    const failed = admin
      .getByRole("alert")
      .filter({ hasText: ct("chat.handoverFailed").replace("{name}", BILAL.displayName) });
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.textContent()).toContain(ct("error.target-offline"));
    expect(await composer.inputValue()).toBe(draft2);

    // Nothing happens on its own, even when the admin's becoming available invites an assignment.
    await admin.locator("#status-select").selectOption("away");
    await admin.locator("#status-select").selectOption("available");
    await expect.poll(() => admin.locator(".status-pending").count(), { timeout: 30_000 }).toBe(0);
    await admin.getByRole("heading", { name: ct("queue.title").replace("{count}", "0") }).waitFor();
    expect(asked.length).toBe(1);
    expect(await failed.isVisible()).toBe(true);
    expect(await composer.isDisabled()).toBe(true);

    // Take it back: the survivor is asked for a fresh key, the admin's handshake follows.
    const rekey = next<Transferring>(survivorSocket, "transferring", 30_000);
    await failed.getByRole("button", { name: ct("chat.takeBack") }).click();
    const again = await rekey;
    const accepted = next(survivorSocket, "accepted", 30_000);
    const reply = await request(survivorSocket, "transfer-key", {
      sessionId: again.sessionId,
      survivorKey: opaque(32),
    });
    expect(reply).toEqual({ ok: true });
    await accepted;
    await expect.poll(() => composer.isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await composer.inputValue()).toBe(draft2);
    expect(await failed.count()).toBe(0);
  });
});
