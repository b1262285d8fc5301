import { afterEach, describe, expect, it } from "vitest";
import { makeCanary } from "../support/browser-canary.ts";
import { heapContains } from "../support/browser-heap.ts";
import { pageSessionId } from "../support/browser-page-target.ts";
import { openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, frameUrlPrefix, sendMessage, endChatAndErase } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 4: after the wipe, V8 heap snapshots of the chat frame and of the partner page hold
 * neither side's canary, and the crypto worker is gone. The canaries are typed key by key and
 * arrive encrypted, so the test never plants a copy in the renderer itself; the snapshot taken
 * before the wipe, which must find them, shows the search can succeed.
 */
const run = await needService("chromium");

describe.runIf(run)("nothing left in memory after the wipe", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("End chat: frame and partner heaps without canaries, crypto worker terminated", async () => {
    scenario = await startScenario();
    const { page, helpline, survivor } = scenario;
    const t = catalogue("en");
    const { frame, chat } = await openChat(scenario);
    const mine = makeCanary();
    const theirs = makeCanary();
    await sendMessage(page, frame, mine);
    chat.text(theirs);
    await frame.getByText(theirs).waitFor({ timeout: 20_000 });

    const frameTarget = survivor.targets.find("iframe", frameUrlPrefix(helpline.origin))[0];
    expect(frameTarget, "the chat frame runs as its own target").toBeDefined();
    const frameSession = frameTarget!.sessionId;
    const workers = () =>
      survivor.targets.attached().filter((w) => w.type === "worker" && w.parentSessionId === frameSession);
    expect(workers().length, "a crypto worker runs during the chat").toBeGreaterThan(0);
    expect(await heapContains(survivor.cdp, frameSession, mine)).toBe(true);
    expect(await heapContains(survivor.cdp, frameSession, theirs)).toBe(true);

    await endChatAndErase(frame);
    await frame.getByRole("heading", { name: t.endedTitle }).waitFor();
    await expect.poll(() => workers().length, { timeout: 10_000 }).toBe(0);
    const pageSession = await pageSessionId(survivor, page);
    for (const canary of [mine, theirs]) {
      expect(await heapContains(survivor.cdp, frameSession, canary), "frame heap").toBe(false);
      expect(await heapContains(survivor.cdp, pageSession, canary), "partner page heap").toBe(false);
    }
  });

  it("Quick exit: the partner tab's heap holds no canary afterwards", async () => {
    scenario = await startScenario();
    const { page, helpline, survivor } = scenario;
    const { frame, chat } = await openChat(scenario);
    const mine = makeCanary();
    const theirs = makeCanary();
    await sendMessage(page, frame, mine);
    chat.text(theirs);
    await frame.getByText(theirs).waitFor({ timeout: 20_000 });
    await frame.getByRole("button", { name: catalogue("en").quickExit }).click();
    await page.waitForURL(helpline.partner.exitUrl);
    await expect
      .poll(() => survivor.targets.find("iframe", frameUrlPrefix(helpline.origin)).length, {
        timeout: 15_000,
      })
      .toBe(0);
    const pageSession = await pageSessionId(survivor, page);
    for (const canary of [mine, theirs]) {
      expect(await heapContains(survivor.cdp, pageSession, canary)).toBe(false);
    }
  });
});
