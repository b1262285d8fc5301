import type { Frame, Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { seriousViolations } from "../support/browser-axe.ts";
import { openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import {
  catalogue,
  launcherName,
  openWidget,
  sendMessage,
  waitForChatFrame,
  endChatAndErase,
} from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 9: axe-core finds no serious or critical WCAG 2.1 A/AA violation on any widget
 * screen (closed, start, waiting, chat, ended) in English and Urdu nor on the partner page with
 * the launcher; the survivor's whole flow works with the keyboard alone; Urdu sets dir="rtl"
 * and the layout mirrors. (Console screens: console-accessibility.test.ts.)
 */
const run = await needService("chromium");

async function expectAccessible(target: Page | Frame, screen: string): Promise<void> {
  expect(await seriousViolations(target), screen).toEqual([]);
}

/** Presses Tab (at most `max` times) until `focused()` says yes. */
async function tabUntil(page: Page, focused: () => Promise<boolean>, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await focused()) return;
    await page.keyboard.press("Tab");
  }
  if (!(await focused())) throw new Error("Tab never reached the expected control");
}

/** Whether the frame's focused element has this visible text, aria-label or label. */
const activeIs = (frame: Frame, name: string) => () =>
  frame.evaluate((expected) => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return false;
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent?.trim() : undefined;
    return [el.textContent?.trim(), el.getAttribute("aria-label"), label].includes(expected);
  }, name);

describe.runIf(run)("accessibility", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  for (const language of ["en", "ur"] as const) {
    it(`every widget screen has no serious or critical axe violation (${language})`, async () => {
      scenario = await startScenario({ counselors: 0 });
      const { page, helpline } = scenario;
      const t = catalogue(language);
      await page.goto(helpline.partner.page(`/${language}`, { language }));
      await expectAccessible(page, "partner page with launcher");

      await helpline.setOpen(false);
      let frame = await openWidget(page, helpline.origin, language);
      await frame.getByRole("heading", { name: t.closedTitle }).waitFor();
      await expectAccessible(frame, "closed");

      await helpline.setOpen(true);
      await page.reload();
      frame = await openWidget(page, helpline.origin, language);
      await frame.getByRole("button", { name: t.startButton }).waitFor();
      await expectAccessible(frame, "start");
      expect(
        await frame.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
      ).toEqual([language, language === "ur" ? "rtl" : "ltr"]);

      // No counselor is signed in: the survivor waits in the queue.
      await frame.getByRole("button", { name: t.startButton }).click();
      await frame.getByRole("heading", { name: t.waitingTitle }).waitFor({ timeout: 30_000 });
      await expectAccessible(frame, "waiting");
    });
  }

  it("chat and ended screens have no serious or critical axe violation", async () => {
    scenario = await startScenario();
    const { page } = scenario;
    const t = catalogue("en");
    const { frame, chat } = await openChat(scenario);
    await sendMessage(page, frame, "hello");
    chat.text("hello, I am here to help");
    await frame.getByText("hello, I am here to help").waitFor();
    await expectAccessible(frame, "chat");
    await endChatAndErase(frame);
    await frame.getByRole("heading", { name: t.endedTitle }).waitFor();
    await expectAccessible(frame, "ended");
  });

  it("the survivor's whole flow works with the keyboard alone", async () => {
    scenario = await startScenario();
    const { page, helpline, counselors } = scenario;
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    // Tab to the launcher (inside the loader's closed shadow root) and press Enter.
    const session = await page.context().newCDPSession(page);
    await tabUntil(page, async () => {
      const { nodes } = (await session.send("Accessibility.getFullAXTree")) as {
        nodes: { name?: { value?: string }; properties?: { name: string; value: { value: unknown } }[] }[];
      };
      return nodes.some(
        (n) =>
          n.name?.value === launcherName() &&
          n.properties?.some((p) => p.name === "focused" && p.value.value),
      );
    });
    await session.detach();
    await page.keyboard.press("Enter");
    const frame = await waitForChatFrame(page, helpline.origin);
    await tabUntil(page, activeIs(frame, t.startButton));
    await page.keyboard.press("Enter");
    const chat = await counselors[0]!.nextChat();
    await tabUntil(page, activeIs(frame, t.messageLabel));
    await page.keyboard.type("typed without a mouse");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => chat.received.some((p) => p.type === "text" && p.body === "typed without a mouse"))
      .toBe(true);
    await tabUntil(page, activeIs(frame, t.endChat));
    await page.keyboard.press("Enter");
    // Asked once: focus lands on "Keep chatting", so a second Enter erases nothing.
    await expect.poll(activeIs(frame, t.endKeep)).toBe(true);
    await tabUntil(page, activeIs(frame, t.endErase));
    await page.keyboard.press("Enter");
    await frame.getByRole("heading", { name: t.endedTitle }).waitFor();
  });

  it("Urdu mirrors the layout", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    // Where the brand (first in the top bar) sits, as a fraction of the frame's width.
    const brandX = async (language: "en" | "ur") => {
      await page.goto(helpline.partner.page(`/mirror-${language}`, { language }));
      const frame = await openWidget(page, helpline.origin, language);
      const t = catalogue(language);
      await frame.getByRole("button", { name: t.startButton }).waitFor();
      const box = await frame.getByText(t.appName, { exact: true }).first().boundingBox();
      const width = await frame.evaluate(() => document.documentElement.clientWidth);
      if (!box) throw new Error("the brand is not on screen");
      return (box.x + box.width / 2) / width;
    };
    // Left in English, right in Urdu: the bar is mirrored, not merely right-aligned text.
    expect(await brandX("en")).toBeLessThan(0.5);
    expect(await brandX("ur")).toBeGreaterThan(0.5);
  });
});
