import { describe, expect, it } from "vitest";
import { containsCanary, makeCanary, makeUrduCanary } from "../support/browser-canary.ts";
import { seriousViolations } from "../support/browser-axe.ts";
import { consoleLanguage, consoleScreen, ct, endChat } from "../support/browser-console.ts";
import { ADMIN, BILAL, consoleFixture } from "../support/browser-desk.ts";
import { catalogue, openWidget } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * "Ask a supervisor" with two staff browsers: the admin (who supervises) sets up and brings in a
 * counselor through the console; a survivor chats with the counselor; the counselor asks with
 * the keyboard; the admin sees who asked and opens a side conversation; English and Urdu texts
 * go both ways; ending the chat erases the side conversation on both consoles. The relay
 * traffic of both consoles, the server's logs and its database hold none of the side texts.
 */
const run = await needService("chromium");

const fill = (template: string, values: Record<string, string>) =>
  Object.entries(values).reduce((text, [k, v]) => text.replace(`{${k}}`, v), template);

describe.runIf(run)("ask a supervisor: two staff browsers", () => {
  const fx = consoleFixture();

  it("the counselor asks, the supervisor opens, both talk privately, the chat's end erases it; no plaintext at the relay", async () => {
    const { helpline, browser: adminBrowser, page: admin } = await fx.adminDesk();
    const { browser: counselorBrowser, page: bilal } = await fx.colleagueDesk(admin);
    await consoleScreen(admin, "#/chats");

    // A survivor's chat goes to Bilal (the admin stays away).
    await bilal.locator("#status-select").selectOption("available");
    const { browser: survivorBrowser, page } = await fx.browser({});
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    await bilal.getByRole("textbox", { name: ct("chat.message"), exact: true }).waitFor({ timeout: 60_000 });
    await expect
      .poll(() => frame.getByRole("button", { name: t.send }).isEnabled(), { timeout: 60_000 })
      .toBe(true);

    // The counselor asks, with the keyboard.
    await bilal.getByRole("button", { name: ct("side.ask") }).focus();
    await bilal.keyboard.press("Enter");
    await bilal.getByText(ct("side.asking")).waitFor({ timeout: 30_000 });

    // The supervisor sees who asked and how long ago, and opens it.
    const requests = admin.getByRole("region", { name: ct("side.requests") });
    await requests
      .getByText(fill(ct("side.requestLine"), { name: BILAL.displayName, minutes: "0" }))
      .waitFor({ timeout: 30_000 });
    await requests.getByRole("button", { name: fill(ct("side.open"), { name: BILAL.displayName }) }).click();

    const atAdmin = admin.getByRole("region", {
      name: fill(ct("side.with"), { name: BILAL.displayName }),
    });
    const atBilal = bilal.getByRole("region", { name: fill(ct("side.with"), { name: ADMIN.displayName }) });
    await atBilal.waitFor({ timeout: 30_000 });
    await atAdmin.waitFor({ timeout: 30_000 });
    await expect.poll(() => atAdmin.getByRole("button", { name: ct("side.send") }).isEnabled()).toBe(true);

    // Both panels pass axe (serious and critical rules) while open.
    expect(await seriousViolations(admin)).toEqual([]);
    expect(await seriousViolations(bilal)).toEqual([]);

    // Bilal writes (Ctrl+Enter sends); the admin, in the Urdu console, answers (the button sends).
    const fromBilal = makeCanary();
    const fromAdmin = makeUrduCanary();
    const bilalBox = atBilal.getByLabel(fill(ct("side.write"), { name: ADMIN.displayName }));
    expect(await bilalBox.inputValue()).toBe("");
    await bilalBox.click();
    await bilal.keyboard.type(fromBilal);
    await bilal.keyboard.press("Control+Enter");
    await atAdmin.getByText(fromBilal).waitFor({ timeout: 30_000 });
    await consoleLanguage(admin, "ur");
    const atAdminUr = admin.getByRole("region", {
      name: fill(ct("side.with", "ur"), { name: BILAL.displayName }),
    });
    await atAdminUr.getByLabel(fill(ct("side.write", "ur"), { name: BILAL.displayName })).fill(fromAdmin);
    await atAdminUr.getByRole("button", { name: ct("side.send", "ur") }).click();
    await atBilal.getByText(fromAdmin).waitFor({ timeout: 30_000 });
    await atAdminUr.getByText(fromAdmin).waitFor({ timeout: 30_000 });
    // Nothing of the side conversation reached the survivor's chat.
    expect(await frame.getByText(fromBilal).count()).toBe(0);

    // The chat ends: both consoles erase the side conversation.
    await endChat(bilal);
    await atBilal.getByText(ct("side.ended.chat-ended")).waitFor({ timeout: 30_000 });
    await atAdminUr.getByText(ct("side.ended.chat-ended", "ur")).waitFor({ timeout: 30_000 });
    expect(await bilal.getByText(fromAdmin).count()).toBe(0);
    expect(await admin.getByText(fromBilal).count()).toBe(0);
    expect(await admin.getByText(fromAdmin).count()).toBe(0);

    // Both consoles really talked through the relay, and no frame, request, log line or database
    // file holds either side text.
    expect(adminBrowser.traffic.framesFrom("page").length).toBeGreaterThan(0);
    expect(counselorBrowser.traffic.framesFrom("page").length).toBeGreaterThan(0);
    for (const canary of [fromBilal, fromAdmin]) {
      for (const b of [adminBrowser, counselorBrowser, survivorBrowser]) {
        expect(b.traffic.frames.filter((f) => containsCanary(f.bytes, canary))).toEqual([]);
        expect(b.traffic.requests.filter((r) => `${r.url} ${r.body}`.includes(canary))).toEqual([]);
      }
      expect(helpline.serverHolds(canary)).toEqual({ logs: false, database: [] });
    }
  });
});
