import type { CDPSession, Page, Route } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import type { Language } from "../../shared/protocol/index.ts";
import { DEFAULT_EXIT_URL } from "../../widget/control/exit-url.ts";
import { type Scenario, startScenario } from "../support/browser-scenario.ts";
import {
  catalogue,
  chatFrame,
  clickAccessible,
  launcherName,
  tripleShift,
} from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * The loader's shell: on the launcher's activation the loader paints, where the chat frame will
 * show, the bar with Hide and Quick exit and the line "Opening a private chat…", in a closed
 * shadow root, before the frame (another origin: a renderer process and a page of its own) has
 * arrived. Every request for the frame is held back by interception here, so whatever shows
 * and works is the loader's alone. The shell's content is found through the accessibility tree
 * (a closed root is out of reach of locators) and clicked at its on-screen position.
 */
const run = await needService("chromium");

type AxNode = {
  role?: { value?: string };
  name?: { value?: string };
  backendDOMNodeId?: number;
  ignored?: boolean;
};

/** The centre of the rendered, not ignored node with this role and name in the page's own document, or null. */
async function find(session: CDPSession, role: string, name: string) {
  const { nodes } = (await session.send("Accessibility.getFullAXTree")) as { nodes: AxNode[] };
  const node = nodes.find((n) => !n.ignored && n.role?.value === role && n.name?.value === name);
  if (node?.backendDOMNodeId === undefined) return null;
  const { model } = await session.send("DOM.getBoxModel", { backendNodeId: node.backendDOMNodeId });
  const [x1, y1, , , x3, y3] = model.border;
  if (x1 === undefined || y1 === undefined || x3 === undefined || y3 === undefined) return null;
  if (x3 - x1 < 1 || y3 - y1 < 1) return null;
  // What a click there would hit: the node itself, not something over it.
  const hit = await session.send("DOM.getNodeForLocation", {
    x: Math.round((x1 + x3) / 2),
    y: Math.round((y1 + y3) / 2),
    includeUserAgentShadowDOM: false,
  });
  return {
    x: (x1 + x3) / 2,
    y: (y1 + y3) / 2,
    width: x3 - x1,
    onTop: hit.backendNodeId === node.backendDOMNodeId,
  };
}

/** Waits for it; a control must also be what a click at its centre hits (a text's hit is its paragraph). */
async function waitFind(session: CDPSession, role: string, name: string, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = await find(session, role, name);
    if (found && (found.onTop || role === "StaticText")) return found;
    if (Date.now() > deadline) throw new Error(`no ${role} ${JSON.stringify(name)} shown on top`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Holds every request for the chat frame (page and files) until `release`. */
async function holdFrame(page: Page, origin: string) {
  const held: Route[] = [];
  let releasing = false;
  await page.context().route(`${origin}/frame/**`, async (route) => {
    if (releasing) return route.continue();
    held.push(route);
  });
  return {
    held: () => held.length,
    release: () => {
      releasing = true;
      for (const route of held.splice(0)) void route.continue().catch(() => undefined);
    },
  };
}

/** The default exit (a weather search), answered locally: tests never leave the machine. */
async function answerExit(page: Page) {
  await page
    .context()
    .route(`${DEFAULT_EXIT_URL.split("?")[0]}**`, (route) =>
      route.fulfill({ contentType: "text/html", body: "<title>Weather</title><h1>Weather</h1>" }),
    );
}

/** The loader's panel: whether the shell is there, whether focus is in it, the iframe's state. */
function panelState(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector("[data-sahara=loader]")?.shadowRoot;
    const shell = root?.querySelector("div") ?? null;
    const iframe = root?.querySelector("iframe") ?? null;
    return {
      shell: shell !== null,
      shellClosed: shell !== null && shell.shadowRoot === null,
      focusInShell: shell !== null && root?.activeElement === shell,
      focusOnLauncher:
        document.activeElement?.getAttribute("data-sahara") === "loader" &&
        root?.activeElement?.tagName === "BUTTON",
      iframe: iframe
        ? {
            opacity: getComputedStyle(iframe).opacity,
            inert: iframe.inert,
            focused: root?.activeElement === iframe,
          }
        : null,
    };
  });
}

async function expectShell(session: CDPSession, language: Language) {
  const t = catalogue(language);
  const quickExit = await waitFind(session, "button", t.quickExit);
  const hide = await waitFind(session, "button", t.hide);
  const line = await waitFind(session, "StaticText", t.loading);
  return { quickExit, hide, line };
}

/** The panel is gone (shell and frame) and focus is back on the launcher. */
async function expectClosed(page: Page) {
  await expect.poll(async () => (await panelState(page)).shell, { timeout: 10_000 }).toBe(false);
  const state = await panelState(page);
  expect(state.iframe).toBeNull();
  expect(state.focusOnLauncher).toBe(true);
}

/** Enter on the focused launcher opens the panel with its English shell, focus inside it. */
async function openFromKeyboard(page: Page, session: CDPSession) {
  await page.keyboard.press("Enter");
  await expectShell(session, "en");
  expect((await panelState(page)).focusInShell).toBe(true);
}

describe.runIf(run)("the loader's shell, before the frame has arrived", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("shows Quick exit, Hide and the line at once; Hide, Esc and Shift ×3 work from it", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    const frame = await holdFrame(page, helpline.origin);
    await answerExit(page);
    await page.goto(helpline.partner.page("/shell"));
    const session = await page.context().newCDPSession(page);
    await clickAccessible(page, "button", launcherName("en"));
    await expectShell(session, "en");
    await expect.poll(() => frame.held(), { timeout: 10_000 }).toBeGreaterThan(0);
    const state = await panelState(page);
    expect(state.shellClosed).toBe(true);
    expect(state.focusInShell).toBe(true);
    // The frame is there, transparent and inert, while its page is held.
    expect(state.iframe).toEqual({ opacity: "0", inert: true, focused: false });

    // Hide: the panel goes, focus returns to the launcher.
    const hide = await waitFind(session, "button", catalogue("en").hide);
    await page.mouse.click(hide.x, hide.y);
    await expectClosed(page);

    // Keyboard only: Enter on the launcher opens it with focus in the shell, Escape closes it.
    await openFromKeyboard(page, session);
    await page.keyboard.press("Escape");
    await expectClosed(page);

    // Shift three times while focus is in the shell: the page is replaced by the exit page.
    await openFromKeyboard(page, session);
    await tripleShift(page);
    await page.waitForURL(DEFAULT_EXIT_URL, { timeout: 15_000 });
    await session.detach().catch(() => undefined);
  }, 120_000);

  it("shows in Urdu, right to left, and its Quick exit leaves the page at once", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    await holdFrame(page, helpline.origin);
    await answerExit(page);
    await page.goto(helpline.partner.page("/shell-ur", { language: "ur" }));
    const session = await page.context().newCDPSession(page);
    await clickAccessible(page, "button", launcherName("ur"));
    const { quickExit, hide } = await expectShell(session, "ur");
    expect((await find(session, "StaticText", catalogue("en").loading)) === null).toBe(true);
    // Right to left: Quick exit ends the bar on the left, after Hide.
    expect(quickExit.x).toBeLessThan(hide.x);
    await page.mouse.click(quickExit.x, quickExit.y);
    await page.waitForURL(DEFAULT_EXIT_URL, { timeout: 15_000 });
    expect(chatFrame(page, helpline.origin)).toBeUndefined();
  }, 120_000);

  it("hands over to the frame once it has painted: shell gone, Start reachable by keyboard", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    const frame = await holdFrame(page, helpline.origin);
    await page.goto(helpline.partner.page("/shell-handoff"));
    const session = await page.context().newCDPSession(page);
    await clickAccessible(page, "button", launcherName("en"));
    await expectShell(session, "en");
    await expect.poll(() => frame.held(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await panelState(page)).focusInShell).toBe(true);

    frame.release();
    await expect.poll(async () => (await panelState(page)).shell, { timeout: 30_000 }).toBe(false);
    const state = await panelState(page);
    expect(state.iframe).toEqual({ opacity: "1", inert: false, focused: true });
    const chat = chatFrame(page, helpline.origin);
    if (!chat) throw new Error("no chat frame");
    const start = chat.getByRole("button", { name: catalogue("en").startButton });
    await start.waitFor({ timeout: 60_000 });
    // From the keyboard alone: Tab reaches Start in the frame.
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await start.evaluate((button) => document.activeElement === button);
    }
    expect(reached).toBe(true);
    await session.detach().catch(() => undefined);
  }, 120_000);

  it("a frame whose scripts are held hands over on its first paint's own signal", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    // Only the frame's scripts held: the page comes, paints (inside a transparent frame) and says
    // so; its load event cannot fire, so no timeout hands over instead.
    const held: Route[] = [];
    await page.context().route(`${helpline.origin}/frame/assets/**/*.js`, (route) => {
      held.push(route);
    });
    await page.goto(helpline.partner.page("/shell-painted"));
    await clickAccessible(page, "button", launcherName("en"));
    await expect.poll(async () => (await panelState(page)).iframe?.inert, { timeout: 30_000 }).toBe(false);
    expect((await panelState(page)).shell).toBe(false);
    expect(held.length).toBeGreaterThan(0);
    const chat = chatFrame(page, helpline.origin);
    expect(await chat?.locator(".first-paint").count()).toBe(1);
    for (const route of held.splice(0)) void route.continue().catch(() => undefined);
  }, 120_000);

  it("a hostile partner stylesheet cannot hide the shell", async () => {
    scenario = await startScenario({ counselors: 0 });
    const { page, helpline } = scenario;
    await holdFrame(page, helpline.origin);
    await answerExit(page);
    const css = `
      [data-sahara], body > div, div, button, iframe, body * {
        display: none !important; visibility: hidden !important; opacity: 0 !important;
        transform: scale(0) !important; clip-path: inset(50%) !important; filter: opacity(0) !important;
        font-size: 0 !important; color: transparent !important; pointer-events: none !important;
        position: static !important; z-index: -1 !important; width: 0 !important; height: 0 !important;
      }
      body { visibility: hidden !important; font-size: 0 !important; color: transparent !important;
        direction: rtl !important; pointer-events: none !important; }`;
    const script = `document.addEventListener("DOMContentLoaded", () => {
      const style = document.createElement("style");
      style.textContent = ${JSON.stringify(css)};
      document.head.append(style);
    });`;
    await page.goto(helpline.partner.page("/shell-hostile", { script }));
    const session = await page.context().newCDPSession(page);
    // The stylesheet is in force: the page's own text is gone.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector("h1") as Element).display)).toBe(
      "none",
    );
    await clickAccessible(page, "button", launcherName("en"));
    const { quickExit } = await expectShell(session, "en");
    const looks = await page.evaluate(() => {
      const host = document.querySelector("[data-sahara=loader]") as Element;
      const style = getComputedStyle(host);
      return [style.display, style.visibility, style.opacity, style.transform, style.clipPath, style.filter];
    });
    expect(looks).toEqual(["inline", "visible", "1", "none", "none", "none"]);
    expect(quickExit.width).toBeGreaterThan(40);
    await page.mouse.click(quickExit.x, quickExit.y);
    await page.waitForURL(DEFAULT_EXIT_URL, { timeout: 15_000 });
  }, 120_000);
});
