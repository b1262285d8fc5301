import type { Frame, Locator, Page } from "playwright-core";
import type { Helpline } from "./browser-servers.ts";

/**
 * Measurements of the widget as it is drawn: where the loader's launcher and panel sit on the
 * partner page (their shadow root is open, so the page can read their boxes, as any partner
 * script could), and whether a control inside the chat frame is wholly inside the viewport.
 */
export type Box = Readonly<{ x: number; y: number; width: number; height: number }>;

export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
  { width: 320, height: 640 },
] as const;

/** The launcher's and the panel's boxes, and whether the launcher shows the unread marker. */
export async function loaderBoxes(
  page: Page,
): Promise<
  Readonly<{ launcher: Box; panel: Box | null; panelHidden: boolean; unread: boolean; launcherText: string }>
> {
  return page.evaluate(() => {
    const root = document.querySelector<HTMLElement>("[data-sahara=loader]")?.shadowRoot;
    const launcher = root?.querySelector<HTMLButtonElement>("button");
    if (!root || !launcher) throw new Error("no launcher on the page");
    const box = (el: Element): Box => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const frame = root.querySelector("iframe");
    const marker = getComputedStyle(launcher, "::after");
    return {
      launcher: box(launcher),
      panel: frame && !frame.hidden ? box(frame) : null,
      panelHidden: frame?.hidden ?? true,
      // Drawn only when the marker class is on: a visible dot with no words in it.
      unread: marker.content !== "none" && marker.content !== "normal" && marker.display !== "none",
      launcherText: launcher.textContent ?? "",
    };
  });
}

/** The box of a control inside the chat frame, in the partner page's viewport coordinates. */
export async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("the element is not rendered");
  return box;
}

export function inside(box: Box, viewport: Readonly<{ width: number; height: number }>): boolean {
  const slack = 0.5;
  return (
    box.x >= -slack &&
    box.y >= -slack &&
    box.x + box.width <= viewport.width + slack &&
    box.y + box.height <= viewport.height + slack &&
    box.width > 0 &&
    box.height > 0
  );
}

/** Marks every seeded referral entry as checked by an admin, so survivors may see them. */
export async function verifyReferrals(helpline: Helpline): Promise<void> {
  for (const r of await helpline.instance.repos.referrals.list()) {
    if (!r.needsVerification) continue;
    const updated = await helpline.instance.repos.referrals.update(r.id, { needsVerification: false });
    if (!updated.ok) throw new Error("referral vanished");
  }
}

/** The font families Chromium actually used to draw an element's text (via DevTools). */
export async function renderedFonts(page: Page, frame: Frame, selector: string): Promise<string[]> {
  const session = await page.context().newCDPSession(frame);
  try {
    await session.send("DOM.enable");
    await session.send("CSS.enable");
    const { root } = await session.send("DOM.getDocument", { depth: -1, pierce: true });
    const { nodeId } = await session.send("DOM.querySelector", { nodeId: root.nodeId, selector });
    if (!nodeId) throw new Error(`no ${selector} in the frame`);
    const { fonts } = await session.send("CSS.getPlatformFontsForNode", { nodeId });
    return fonts.map((f) => f.familyName);
  } finally {
    await session.detach().catch(() => {});
  }
}
