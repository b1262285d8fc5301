import { afterEach, describe, expect, it } from "vitest";
import { makeCanary } from "../support/browser-canary.ts";
import { filesContaining } from "../support/browser-disk.ts";
import { historyDatabaseUrls, navigationHistory } from "../support/browser-history.ts";
import { pageSessionId } from "../support/browser-page-target.ts";
import { openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { inventory, isEmpty } from "../support/browser-storage.ts";
import { catalogue, sendMessage, endChatAndErase } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 3: after End chat, and separately after Quick exit, the helpline origin and the
 * partner origin hold no cookies, localStorage, sessionStorage, IndexedDB, Cache Storage or
 * service workers; the tab's history and the profile's History database hold only partner
 * URLs; and no file in the browser's user-data directory contains either side's canary.
 * The harness self-test (harness.test.ts) shows each of these probes finding a planted trace.
 */
const run = await needService("chromium");

describe.runIf(run)("no trace in the survivor's browser", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  async function chatWithCanaries(s: Scenario) {
    const { page } = s;
    const { frame, chat } = await openChat(s);
    const mine = makeCanary();
    const theirs = makeCanary();
    await sendMessage(page, frame, mine);
    chat.text(theirs);
    await frame.getByText(theirs).waitFor({ timeout: 20_000 });
    await expect
      .poll(() => chat.received.some((p) => p.type === "text" && p.body === mine), { timeout: 15_000 })
      .toBe(true);
    return { frame, chat, canaries: [mine, theirs] };
  }

  async function expectNoTrace(s: Scenario, canaries: readonly string[]) {
    const { page, helpline, survivor } = s;
    for (const origin of [helpline.origin, helpline.partner.origin]) {
      const inv = await inventory(survivor, page, origin);
      expect(isEmpty(inv), JSON.stringify(inv)).toBe(true);
    }
    const tab = await navigationHistory(survivor.cdp, await pageSessionId(survivor, page));
    expect(tab.filter((url) => url !== "about:blank" && !url.startsWith(helpline.partner.origin))).toEqual(
      [],
    );

    // Closing the browser flushes everything it would keep to disk.
    await survivor.close();
    for (const canary of canaries) expect(filesContaining(survivor.userDataDir, canary)).toEqual([]);
    const global = historyDatabaseUrls(survivor.userDataDir);
    expect(global.length).toBeGreaterThan(0);
    expect(global.filter((url) => !url.startsWith(helpline.partner.origin))).toEqual([]);
  }

  it("after End chat", async () => {
    scenario = await startScenario();
    const { frame, chat, canaries } = await chatWithCanaries(scenario);
    const t = catalogue("en");
    await endChatAndErase(frame);
    await frame.getByRole("heading", { name: t.endedTitle }).waitFor();
    await expect.poll(() => chat.ended, { timeout: 15_000 }).not.toBeNull();
    await expect.poll(() => frame.getByText(canaries[0]!).count(), { timeout: 15_000 }).toBe(0);
    await expectNoTrace(scenario, canaries);
  });

  it("after Quick exit", async () => {
    scenario = await startScenario();
    const { frame, canaries } = await chatWithCanaries(scenario);
    await frame.getByRole("button", { name: catalogue("en").quickExit }).click();
    await scenario.page.waitForURL(scenario.helpline.partner.exitUrl);
    // (Whether the counselor was told is quick-exit.test.ts's concern.)
    await expectNoTrace(scenario, canaries);
  });
});
