import type { Frame, Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { boxOf, loaderBoxes, renderedFonts, verifyReferrals } from "../support/browser-layout.ts";
import { type Scenario, startScenario } from "../support/browser-scenario.ts";
import {
  catalogue,
  chooseLanguage,
  clickAccessible,
  launcherName,
  openWidget,
  sendMessage,
  startChat,
  waitForChatFrame,
} from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Each promise of the widget's screens, with real clicks and taps: the closed screen's
 * contacts first and in Urdu, numbers left to right inside Urdu, readable holiday dates, Latin
 * in a sans face; End chat asked once; a new chat keeps Urdu; the ended screen's contacts; no
 * promised wait with nobody available; the unread dot; 44 px targets; no ring on headings after
 * a tap; a Hide button that says what it does.
 */
const run = await needService("chromium");

const URDU_HELPLINE = "ڈی آر ایف سائبر ہراسمنٹ ہیلپ لائن";
const URDU_NUMBER = "0800-39393";
const SPACED_NUMBER = "+92 51 9106384";

/** Left-to-right order on screen: the x of the first and last character of `text` inside `selector`. */
async function charEdges(frame: Frame, selector: string, text: string): Promise<[number, number]> {
  return frame.evaluate(
    ([sel, wanted]) => {
      const el = [...document.querySelectorAll(sel)].find((e) => e.textContent === wanted);
      const node = el?.firstChild;
      if (!node) throw new Error(`no ${wanted}`);
      const at = (i: number) => {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        return range.getBoundingClientRect().x;
      };
      return [at(0), at(wanted.length - 1)] as [number, number];
    },
    [selector, text] as const,
  );
}

async function launcherHasDot(page: Page): Promise<boolean> {
  return (await loaderBoxes(page)).unread;
}

describe.runIf(run)("widget screens", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("closed, in Urdu at 320x640: contacts first, numbers left to right, readable holidays, Latin in sans", async () => {
    scenario = await startScenario({
      counselors: 0,
      helpline: { open: false },
      launch: { viewport: { width: 320, height: 640 } },
    });
    const { page, helpline } = scenario;
    await verifyReferrals(helpline);
    // Spaces between digit groups: without isolation an RTL line shows "9106384 51 92+".
    await helpline.instance.repos.referrals.create({
      name: "وفاقی ہیلپ لائن",
      category: "other",
      description: "",
      contact: `فون ${SPACED_NUMBER} (24 گھنٹے)`,
      howToPrepare: "",
      language: "ur",
      now: Date.now(),
    });
    const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await helpline.instance.repos.settings.putHoliday({ date: day, label: "عید" });
    const t = catalogue("ur");
    await page.goto(helpline.partner.page("/closed-ur", { language: "ur" }));
    const frame = await openWidget(page, helpline.origin, "ur");
    await frame.getByRole("heading", { name: t.closedTitle }).waitFor();

    // The contacts come before the hours, on the first screenful, in Urdu.
    const resources = frame.getByRole("heading", { name: t.resourcesTitle });
    const hours = frame.getByRole("heading", { name: t.hoursTitle });
    expect((await boxOf(resources)).y).toBeLessThan((await boxOf(hours)).y);
    expect((await boxOf(resources)).y).toBeLessThan(640);
    await frame.getByText(URDU_HELPLINE).waitFor();
    expect(await frame.getByText("DRF Cyber Harassment Helpline").count()).toBe(0);

    // Numbers read left to right inside the right-to-left line.
    for (const number of [URDU_NUMBER, SPACED_NUMBER]) {
      const [first, last] = await charEdges(frame, ".number", number);
      expect(first, number).toBeLessThan(last);
    }
    // Digits inside Urdu come from a sans face, not the Nastaliq (or a fallback serif).
    const fonts = await renderedFonts(page, frame, ".number");
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).not.toMatch(/nastaliq|serif/i);

    // The holiday is a date a person reads, not an ISO string.
    const holidays = frame.getByRole("heading", { name: t.holidaysTitle });
    await holidays.waitFor();
    const listed = frame.locator("time").first();
    expect(await listed.getAttribute("datetime")).toBe(day);
    const shown = (await listed.textContent()) ?? "";
    expect(shown).not.toContain(day);
    const month = new Intl.DateTimeFormat("ur-PK", { month: "long", timeZone: "UTC" }).format(
      Date.parse(`${day}T00:00:00Z`),
    );
    expect(shown).toContain(month);

    // Switching to English shows the English entries at once.
    await chooseLanguage(frame, "en");
    await frame.getByText("DRF Cyber Harassment Helpline").waitFor();
  });

  it("End chat asks once; the ended screen offers contacts; a new chat keeps Urdu", async () => {
    scenario = await startScenario();
    const { page, helpline, counselors } = scenario;
    await verifyReferrals(helpline);
    const t = catalogue("ur");
    // The partner page asks for nothing (English); the survivor picks Urdu.
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: catalogue("en").startButton }).waitFor();
    await chooseLanguage(frame, "ur");
    await startChat(frame, "ur");
    const chat = await counselors[0]!.nextChat();
    await sendMessage(page, frame, "سلام", "ur");

    await frame.getByRole("button", { name: t.endChat }).click();
    await frame.getByRole("button", { name: t.endKeep }).click();
    // Kept: the chat goes on.
    chat.text("میں یہاں ہوں");
    await frame.getByText("میں یہاں ہوں").waitFor();
    expect(chat.ended).toBeNull();
    expect(await frame.getByRole("textbox", { name: t.messageLabel }).isVisible()).toBe(true);

    await frame.getByRole("button", { name: t.endChat }).click();
    await frame.getByRole("button", { name: t.endErase }).click();
    await frame.getByRole("heading", { name: t.endedTitle }).waitFor();
    await expect.poll(() => chat.ended, { timeout: 15_000 }).not.toBeNull();
    await frame.getByRole("heading", { name: t.resourcesTitle }).waitFor();
    await frame.getByText(URDU_HELPLINE).waitFor();

    await frame.getByRole("button", { name: t.startAgain }).click();
    await frame.getByRole("heading", { name: t.startTitle }).waitFor();
    expect(await frame.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(
      ["ur", "rtl"],
    );
  });

  it("with no counselor available the queue promises no wait and offers contacts and hours", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    await verifyReferrals(helpline);
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    await frame.getByText(t.noCounselor).waitFor({ timeout: 60_000 });
    const body = (await frame.locator("main").textContent()) ?? "";
    expect(body).not.toContain("Estimated wait");
    expect(body).not.toContain(t.queuePosition(1));
    await frame.getByText("0800-39393", { exact: false }).first().waitFor();
    await frame.getByRole("heading", { name: t.hoursTitle }).waitFor();
  });

  it("a survivor waiting when the helpline closes is told kindly, with the contacts", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    await verifyReferrals(helpline);
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    await frame.getByText(t.noCounselor).waitFor({ timeout: 60_000 });
    // Opening hours end while the survivor waits: the relay's sweep ends the waiting chat.
    await helpline.setOpen(false);
    await frame.getByText(t.endReason["helpline-closed"]).waitFor({ timeout: 60_000 });
    const ended = frame.locator("section.ended");
    expect(await ended.getAttribute("aria-labelledby")).toBe("sahara-heading");
    // Where to turn meanwhile: the contacts are on the same screen.
    await frame.getByText("0800-39393", { exact: false }).first().waitFor();
  });

  it("marks the launcher while the chat is hidden and clears the mark when it is opened", async () => {
    scenario = await startScenario({ launch: { viewport: { width: 1280, height: 800 } } });
    const { page, helpline, counselors } = scenario;
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await startChat(frame);
    const chat = await counselors[0]!.nextChat();

    // Open: a message marks nothing.
    chat.text("first, seen at once");
    await frame.getByText("first, seen at once").waitFor();
    expect(await launcherHasDot(page)).toBe(false);

    const hide = frame.getByRole("button", { name: t.hide });
    expect((await hide.textContent())?.trim()).toBe(t.hide);
    await hide.click();
    await expect.poll(async () => (await loaderBoxes(page)).panelHidden).toBe(true);
    expect(await launcherHasDot(page)).toBe(false);
    chat.text("second, while hidden");
    await expect.poll(() => launcherHasDot(page), { timeout: 15_000 }).toBe(true);
    // The dot has no words: the launcher says what it always says.
    expect((await loaderBoxes(page)).launcherText).toBe(launcherName());

    await clickAccessible(page, "button", launcherName());
    await expect.poll(async () => (await loaderBoxes(page)).panelHidden).toBe(false);
    expect(await launcherHasDot(page)).toBe(false);
    await frame.getByText("second, while hidden").waitFor();

    // Hidden again and opened without news: no dot.
    await frame.getByRole("button", { name: t.hide }).click();
    await expect.poll(async () => (await loaderBoxes(page)).panelHidden).toBe(true);
    await page.waitForTimeout(300);
    expect(await launcherHasDot(page)).toBe(false);
  });

  for (const language of ["en", "ur"] as const) {
    it(`touch targets are at least 44 px and a tap leaves no ring on headings (${language})`, async () => {
      scenario = await startScenario({ launch: { viewport: { width: 390, height: 844 }, hasTouch: true } });
      const { page, helpline, counselors } = scenario;
      const t = catalogue(language);
      await page.goto(helpline.partner.page(`/touch-${language}`, { language }));
      // A finger on the launcher: the start screen's heading takes focus, with no ring.
      const { launcher } = await loaderBoxes(page);
      await page.touchscreen.tap(launcher.x + launcher.width / 2, launcher.y + launcher.height / 2);
      const frame = await waitForChatFrame(page, helpline.origin);
      const start = frame.getByRole("button", { name: t.startButton });
      await start.waitFor();
      expect(await focusRing(frame)).toEqual(["H1", "none"]);
      await expectTargets(frame, "start");
      await start.tap();
      await frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ timeout: 60_000 });
      await counselors[0]!.nextChat();
      await frame.locator(".safety summary").waitFor();
      await expectTargets(frame, "chat");
      // The heading that took focus after the tap shows no ring.
      expect(await focusRing(frame)).toEqual(["H1", "none"]);
      // A tap on the safety code toggle opens it.
      await frame.locator(".safety summary").tap();
      await frame.getByText(t.safetyCodeHelp).waitFor();
    });
  }
});

/** The focused element's tag and outline style. */
function focusRing(frame: Frame): Promise<[string, string]> {
  return frame.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return [el.tagName, getComputedStyle(el).outlineStyle] as [string, string];
  });
}

/** Every button, select, summary and radio label on the screen is at least 44x44 px. */
async function expectTargets(frame: Frame, screen: string): Promise<void> {
  const small = await frame.evaluate(() =>
    [...document.querySelectorAll("button, select, summary, label.choice")]
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { what: `${el.tagName} ${el.textContent?.trim().slice(0, 20)}`, w: r.width, h: r.height };
      })
      .filter((x) => x.w > 0 && (x.w < 44 || x.h < 44)),
  );
  expect(small, screen).toEqual([]);
}
