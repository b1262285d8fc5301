import type { Frame } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import type { Language } from "../../shared/protocol/index.ts";
import { boxOf, inside, loaderBoxes, VIEWPORTS } from "../support/browser-layout.ts";
import { explained, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, openWidget, sendMessage, startChat } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * The widget on every screen: at 1280x800, 390x844 and 320x640, in English and Urdu, the panel
 * opens next to the launcher (full screen on a phone), the Start button is on screen, and after
 * a long conversation the header's Quick exit, the message box, Send and End chat are still
 * inside the viewport while only the transcript scrolls.
 */
const run = await needService("chromium");

const PANEL_MARGIN = 16;

describe.runIf(run)("widget layout", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("anchors the panel at the launcher and keeps the chat's controls on screen", async () => {
    scenario = await startScenario({ launch: { viewport: VIEWPORTS[0] } });
    const s = scenario;
    const { page, helpline, counselors } = s;
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const language of ["en", "ur"] as const) {
        const where = `${viewport.width}x${viewport.height} ${language}`;
        const t = catalogue(language);
        await page.goto(helpline.partner.page(`/layout-${language}`, { language }));
        const frame = await openWidget(page, helpline.origin, language);
        const start = frame.getByRole("button", { name: t.startButton });
        await start.waitFor();
        expect(inside(await boxOf(start), viewport), `Start on screen, ${where}`).toBe(true);

        const { launcher, panel } = await loaderBoxes(page);
        if (!panel) throw new Error(`no panel, ${where}`);
        if (viewport.width > 600) {
          // Bottom-right, over the launcher, wholly inside the viewport.
          expect(panel.x + panel.width, where).toBeCloseTo(viewport.width - PANEL_MARGIN, 0);
          expect(panel.y + panel.height, where).toBeCloseTo(viewport.height - PANEL_MARGIN, 0);
          expect(launcher.x, where).toBeGreaterThanOrEqual(panel.x);
          expect(launcher.x + launcher.width, where).toBeLessThanOrEqual(panel.x + panel.width + 0.5);
          expect(inside(panel, viewport), where).toBe(true);
        } else {
          expect(panel, where).toEqual({ x: 0, y: 0, width: viewport.width, height: viewport.height });
        }

        await startChat(frame, language);
        const chat = await counselors[0]!.nextChat();
        await sendMessage(page, frame, "hello", language);
        // Paced within the relay's per-socket rate (20 a second, and the survivor's read receipts
        // cost the counselor acknowledgements too): a burst of 30 at once is refused in part.
        for (let i = 1; i <= 30; i++) {
          chat.text(`message number ${i} from the counselor, long enough to wrap`);
          await new Promise((resolve) => setTimeout(resolve, 120));
        }
        const last = frame.getByText("message number 30 from the counselor", { exact: false });
        await last.waitFor();
        await explained(s, () => expectControlsOnScreen(frame, language, viewport, where));
        // The transcript scrolls (it holds more than it shows) and follows the newest message.
        const log = frame.getByRole("log");
        expect(await log.evaluate((el) => el.scrollHeight > el.clientHeight + 10), where).toBe(true);
        expect(inside(await boxOf(last), viewport), `newest message visible, ${where}`).toBe(true);
        // The page itself does not scroll: the header stays where it was.
        expect(await frame.evaluate(() => document.scrollingElement?.scrollTop ?? 0), where).toBe(0);

        await frame.getByRole("button", { name: t.endChat }).click();
        await frame.getByRole("button", { name: t.endErase }).click();
        await frame.getByRole("heading", { name: t.endedTitle }).waitFor();
      }
    }
  });

  it("opens on the left when the launcher is on the left", async () => {
    scenario = await startScenario({ counselors: 0, launch: { viewport: VIEWPORTS[0] } });
    const { page, helpline } = scenario;
    await page.goto(helpline.partner.page("/left", { position: "bottom-left" }));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: catalogue().startButton }).waitFor();
    const { launcher, panel } = await loaderBoxes(page);
    if (!panel) throw new Error("no panel");
    expect(panel.x).toBeCloseTo(PANEL_MARGIN, 0);
    expect(panel.y + panel.height).toBeCloseTo(VIEWPORTS[0].height - PANEL_MARGIN, 0);
    expect(launcher.x).toBeLessThan(panel.x + panel.width);
  });
});

async function expectControlsOnScreen(
  frame: Frame,
  language: Language,
  viewport: Readonly<{ width: number; height: number }>,
  where: string,
): Promise<void> {
  const t = catalogue(language);
  const controls = {
    "Quick exit": frame.getByRole("button", { name: t.quickExit }),
    Hide: frame.getByRole("button", { name: t.hide }),
    "message box": frame.getByRole("textbox", { name: t.messageLabel }),
    Send: frame.getByRole("button", { name: t.send }),
    "End chat": frame.getByRole("button", { name: t.endChat }),
  };
  for (const [name, locator] of Object.entries(controls)) {
    expect(inside(await boxOf(locator), viewport), `${name} on screen, ${where}`).toBe(true);
  }
}
