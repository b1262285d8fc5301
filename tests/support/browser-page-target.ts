import type { Page } from "playwright-core";
import type { ProbedBrowser } from "./browser-launch.ts";

/** The CDP target id of a Playwright page (to find it among the harness's tracked targets). */
export async function targetIdOf(page: Page): Promise<string> {
  const session = await page.context().newCDPSession(page);
  try {
    const { targetInfo } = await session.send("Target.getTargetInfo");
    return targetInfo.targetId;
  } finally {
    await session.detach().catch(() => {});
  }
}

/** The harness's own CDP session to a page (not Playwright's), for history and heap queries. */
export async function pageSessionId(browser: ProbedBrowser, page: Page): Promise<string> {
  const targetId = await targetIdOf(page);
  const target = browser.targets.attached().find((t) => t.targetId === targetId);
  if (!target) throw new Error("the page is not tracked by the harness");
  return target.sessionId;
}
