import { afterEach, describe, expect, it } from "vitest";
import { makeCanary } from "../support/browser-canary.ts";
import { pageSessionId } from "../support/browser-page-target.ts";
import { openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, chatFrame, sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 6: the survivor navigates the partner tab away mid-chat and comes back with Back.
 * Whether Chromium restores the page from the back/forward cache (the harness turns the cache
 * back on; Playwright disables it) or reloads it, no transcript may be visible and the session
 * must be over for the counselor. The test records which of the two happened.
 */
const run = await needService("chromium");

describe.runIf(run)("back/forward cache", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("navigating away and back shows no transcript and ends the session", async () => {
    scenario = await startScenario();
    const { page, helpline, counselors, survivor } = scenario;
    const { frame, chat } = await openChat(scenario);
    const mine = makeCanary();
    const theirs = makeCanary();
    await sendMessage(page, frame, mine);
    chat.text(theirs);
    await frame.getByText(theirs).waitFor({ timeout: 20_000 });

    // Why the cache was not used, if it was not (CDP reports it on the page's session).
    const notCached: string[] = [];
    const off = survivor.cdp.on((event) => {
      if (event.method === "Page.backForwardCacheNotUsed") {
        const reasons = event.params.notRestoredExplanations as { reason: string }[];
        notCached.push(...reasons.map((r) => r.reason));
      }
    });
    await survivor.cdp.send("Page.enable", {}, await pageSessionId(survivor, page));

    await page.goto(helpline.partner.page("/elsewhere"));
    // The frame wipes on `pagehide` and leaves: the counselor is told without waiting for the
    // relay's resume grace to run out.
    const deadline = Date.now() + 15_000;
    while (chat.ended === null && Date.now() < deadline) await page.waitForTimeout(100);
    expect(chat.ended, `relay events at the counselor: ${counselors[0]!.events.join(", ")}`).not.toBeNull();
    // A page restored from the back/forward cache fires no load event: wait for the commit.
    await page.goBack({ waitUntil: "commit" });
    await page.waitForTimeout(1_000);
    off();
    console.info(
      notCached.length === 0
        ? "back/forward: the partner page was restored from the back/forward cache"
        : `back/forward: reloaded, not cached because: ${notCached.join(", ")}`,
    );

    const again = chatFrame(page, helpline.origin);
    if (again) {
      for (const canary of [mine, theirs]) expect(await again.getByText(canary).count()).toBe(0);
      expect(await again.getByRole("textbox", { name: catalogue("en").messageLabel }).count()).toBe(0);
    }
    expect(chat.ended).not.toBeNull();
  });
});
