import { afterEach, describe, expect, it } from "vitest";
import { makeCanary } from "../support/browser-canary.ts";
import { navigationHistory } from "../support/browser-history.ts";
import { openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { pageSessionId } from "../support/browser-page-target.ts";
import { catalogue, chatFrame, sendMessage, tripleShift } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 5: quick exit by the frame's button, by Shift x3 inside the frame and by Shift x3 on
 * the partner page. The top page becomes the partner's exit URL at once, Back does not lead to
 * the chat (the partner page's entry was replaced), and the counselor is told the visitor left.
 */
const run = await needService("chromium");

describe.runIf(run)("quick exit", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  type Trigger = "button" | "shift-in-frame" | "shift-on-partner-page";

  async function chatThenExit(trigger: Trigger) {
    // On a phone the chat panel covers the page; Shift on the partner page is a desktop case.
    const desktop = trigger === "shift-on-partner-page";
    scenario = await startScenario(desktop ? { launch: { viewport: { width: 1280, height: 720 } } } : {});
    const { page, helpline, counselors, survivor } = scenario;
    const t = catalogue("en");
    const { frame, chat } = await openChat(scenario);
    const canary = makeCanary();
    await sendMessage(page, frame, canary);
    await expect
      .poll(() => chat.received.some((p) => p.type === "text" && p.body === canary), { timeout: 15_000 })
      .toBe(true);

    switch (trigger) {
      case "button":
        await frame.getByRole("button", { name: t.quickExit }).click();
        break;
      case "shift-in-frame":
        await frame.getByRole("textbox", { name: t.messageLabel }).click();
        await tripleShift(page);
        break;
      case "shift-on-partner-page":
        await page.locator("h1").click();
        await tripleShift(page);
        break;
      default: {
        const never: never = trigger;
        throw new Error(String(never));
      }
    }
    await page.waitForURL(helpline.partner.exitUrl, { timeout: 10_000 });
    expect(chatFrame(page, helpline.origin)).toBeUndefined();
    // The counselor is told promptly (not only when the relay's resume grace runs out): by the
    // encrypted "visitor-left" or by the relay's `ended` for a quick exit.
    const told = () =>
      chat.received.some((p) => p.type === "visitor-left") ||
      chat.ended === "quick-exit" ||
      chat.ended === "visitor-left";
    const deadline = Date.now() + 10_000;
    while (!told() && Date.now() < deadline) await page.waitForTimeout(100);
    const counselor = counselors[0]!;
    expect(
      told(),
      `counselor saw ${chat.received.map((p) => p.type).join(",")}; relay events ${counselor.events.join(",")}; errors ${counselor.errors.join(",")}`,
    ).toBe(true);

    // The tab's history: the partner page was replaced, so nothing before the exit page is ours.
    const history = await navigationHistory(survivor.cdp, await pageSessionId(survivor, page));
    expect(history.at(-1)).toBe(helpline.partner.exitUrl);
    expect(history.filter((url) => url !== "about:blank")).toEqual([helpline.partner.exitUrl]);
    // Back leaves the partner site altogether (to the tab's blank start), never to the chat.
    await page.goBack({ timeout: 5_000 }).catch(() => null);
    expect(page.url()).toBe("about:blank");
    expect(chatFrame(page, helpline.origin)).toBeUndefined();
  }

  it("by the Quick exit button", async () => {
    await chatThenExit("button");
  });

  it("by Shift pressed three times in the chat's message box", async () => {
    await chatThenExit("shift-in-frame");
  });

  it("by Shift pressed three times on the partner page", async () => {
    await chatThenExit("shift-on-partner-page");
  });
});
