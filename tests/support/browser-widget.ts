import type { Frame, Page } from "playwright-core";
import type { Language } from "../../shared/protocol/index.ts";
import { CATALOGUES } from "../../widget/frame/i18n/all.ts";
import type { Catalogue } from "../../widget/frame/i18n/catalogue.ts";
import { LOADER_STRINGS } from "../../widget/loader/strings.ts";

/**
 * Drives the survivor's side as a person would. The loader draws its launcher (and the chat
 * iframe) inside a closed shadow root, which Playwright's locators cannot enter; the launcher is
 * found the way assistive technology finds it, through the accessibility tree, and clicked at
 * its on-screen position. The chat frame is found among the page's frames by its URL.
 */
type AxNode = {
  role?: { value?: string };
  name?: { value?: string };
  backendDOMNodeId?: number;
  ignored?: boolean;
};

/** Clicks the element with this role and accessible name in the page's own document (shadow roots included). */
export async function clickAccessible(page: Page, role: string, name: string): Promise<void> {
  const session = await page.context().newCDPSession(page);
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { nodes } = (await session.send("Accessibility.getFullAXTree")) as { nodes: AxNode[] };
      const node = nodes.find((n) => !n.ignored && n.role?.value === role && n.name?.value === name);
      if (node?.backendDOMNodeId !== undefined) {
        const { model } = await session.send("DOM.getBoxModel", { backendNodeId: node.backendDOMNodeId });
        const [x1, y1, , , x3, y3] = model.border;
        await page.mouse.click(((x1 ?? 0) + (x3 ?? 0)) / 2, ((y1 ?? 0) + (y3 ?? 0)) / 2);
        return;
      }
      if (Date.now() > deadline) throw new Error(`no ${role} named ${JSON.stringify(name)} on the page`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await session.detach().catch(() => {});
  }
}

export function launcherName(language: Language = "en"): string {
  return LOADER_STRINGS[language].launcher;
}

export function frameUrlPrefix(helplineOrigin: string): string {
  return `${helplineOrigin}/frame/`;
}

/** The chat frame once it exists, or undefined. */
export function chatFrame(page: Page, helplineOrigin: string): Frame | undefined {
  return page.frames().find((f) => f.url().startsWith(frameUrlPrefix(helplineOrigin)));
}

/** The loader's chat iframe on the partner page: absent, hidden or shown. */
export function loaderFrameState(page: Page): Promise<"absent" | "hidden" | "shown"> {
  return page.evaluate(() => {
    const iframe = document.querySelector("[data-sahara=loader]")?.shadowRoot?.querySelector("iframe");
    return iframe ? (iframe.hidden ? "hidden" : "shown") : "absent";
  });
}

export async function waitForChatFrame(
  page: Page,
  helplineOrigin: string,
  timeoutMs = 30_000,
): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = chatFrame(page, helplineOrigin);
    if (frame) {
      await frame.waitForLoadState("load");
      return frame;
    }
    if (Date.now() > deadline) throw new Error("the chat frame did not appear");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Clicks the launcher and waits for the chat frame to load. */
export async function openWidget(
  page: Page,
  helplineOrigin: string,
  language: Language = "en",
): Promise<Frame> {
  await clickAccessible(page, "button", launcherName(language));
  return waitForChatFrame(page, helplineOrigin);
}

/** One look at the waiting screen's step list: each step's state, in list order, and when (Date.now()). */
export type StepSnapshot = Readonly<{ at: number; states: readonly string[] }>;

/**
 * Records, inside the frame, every change of the connecting step list (`data-state` of each
 * `[data-step]`) from now on, with its time; read it with `recordedSteps`.
 */
export async function recordConnectSteps(frame: Frame): Promise<void> {
  // A string, not a function: tsx (the bench) would wrap named arrows in a helper the frame lacks.
  await frame.evaluate(`(() => {
    const log = [];
    globalThis.__saharaSteps = log;
    new MutationObserver(() => {
      const items = [...document.querySelectorAll(".steps [data-step]")];
      if (items.length === 0) return;
      const states = items.map((item) => item.dataset.state ?? "");
      if (log.at(-1)?.states.join() !== states.join()) log.push({ at: Date.now(), states });
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
  })()`);
}

export async function recordedSteps(frame: Frame): Promise<readonly StepSnapshot[]> {
  return ((await frame.evaluate("globalThis.__saharaSteps")) as StepSnapshot[] | undefined) ?? [];
}

/** Presses Shift three times, as a frightened person would, on whatever has focus. */
export async function tripleShift(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await page.keyboard.down("Shift");
    await page.keyboard.up("Shift");
  }
}

/** Types text one key at a time, so no whole copy of it is ever sent to the renderer in one piece. */
export async function typeSlowly(page: Page, text: string): Promise<void> {
  for (const char of text) await page.keyboard.type(char);
}

export function catalogue(language: Language = "en"): Catalogue {
  return CATALOGUES[language];
}

/** The start screen's language choice: the chat is queued (and routed) in this language. */
export async function chooseLanguage(frame: Frame, language: Language): Promise<void> {
  await frame.locator("#sahara-language").selectOption(language);
}

/** From the start screen to a running chat with a counselor (who must be available to auto-assign). */
export async function startChat(frame: Frame, language: Language = "en"): Promise<void> {
  const t = catalogue(language);
  await frame.getByRole("button", { name: t.startButton }).click();
  await frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ state: "visible", timeout: 60_000 });
  await expectEnabled(frame, t);
}

async function expectEnabled(frame: Frame, t: Catalogue): Promise<void> {
  const send = frame.getByRole("button", { name: t.send });
  const deadline = Date.now() + 60_000;
  while (await send.isDisabled()) {
    if (Date.now() > deadline) throw new Error("the counselor never joined (Send stays disabled)");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Focuses the message box, types the text key by key and presses Enter. */
export async function sendMessage(
  page: Page,
  frame: Frame,
  text: string,
  language: Language = "en",
): Promise<void> {
  await frame.getByRole("textbox", { name: catalogue(language).messageLabel }).click();
  await typeSlowly(page, text);
  await page.keyboard.press("Enter");
}

/** End chat as a survivor does it: End chat, then "End and erase" in the question that follows. */
export async function endChatAndErase(frame: Frame, language: Language = "en"): Promise<void> {
  const t = catalogue(language);
  await frame.getByRole("button", { name: t.endChat }).click();
  await frame.getByRole("button", { name: t.endErase }).click();
}
