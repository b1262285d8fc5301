import { afterEach, describe, expect, it } from "vitest";
import { type Scenario, startScenario } from "../support/browser-scenario.ts";
import {
  catalogue,
  chatFrame,
  endChatAndErase,
  loaderFrameState,
  openWidget,
  sendMessage,
  startChat,
} from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Hiding the chat window (its button or Escape): while a chat runs the frame is only hidden and
 * the launcher shows the same chat again; when nothing runs in it (the start screen, after End
 * chat) the frame is removed from the page, so the browser has no frame to record, and the
 * launcher opens a fresh one. (no-trace.test.ts checks what that leaves on disk.)
 */
const run = await needService("chromium");

describe.runIf(run)("hiding the chat window", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  const iframeState = (s: Scenario) => loaderFrameState(s.page);

  it("removes an idle frame, keeps a running chat, and the launcher brings either back", async () => {
    scenario = await startScenario({ launch: { viewport: { width: 1280, height: 720 } } });
    const s = scenario;
    const { page, helpline } = s;
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));

    // Start screen: Escape drops the frame; the launcher makes a new one.
    const first = await openWidget(page, helpline.origin);
    await first.getByRole("button", { name: t.startButton }).waitFor();
    await first.getByRole("button", { name: t.startButton }).focus();
    await page.keyboard.press("Escape");
    await expect.poll(() => iframeState(s), { timeout: 10_000 }).toBe("absent");
    // The DOM has no frame; Playwright's frame list catches up with the detach a moment later.
    await expect.poll(() => chatFrame(page, helpline.origin), { timeout: 10_000 }).toBeUndefined();

    // A running chat: hiding keeps it, and the launcher shows the same conversation.
    const second = await openWidget(page, helpline.origin);
    await startChat(second);
    const chat = await s.counselors[0]!.nextChat();
    await sendMessage(page, second, "still here");
    await second.getByRole("button", { name: t.hide }).click();
    await expect.poll(() => iframeState(s), { timeout: 10_000 }).toBe("hidden");
    chat.text("welcome back");
    const again = await openWidget(page, helpline.origin);
    expect(again).toBe(second);
    expect(await iframeState(s)).toBe("shown");
    await again.getByText("welcome back").waitFor({ timeout: 20_000 });

    // After End chat nothing runs: hiding drops the frame.
    await endChatAndErase(again);
    await again.getByRole("heading", { name: t.endedTitle }).waitFor();
    await again.getByRole("button", { name: t.hide }).click();
    await expect.poll(() => iframeState(s), { timeout: 10_000 }).toBe("absent");
    const fresh = await openWidget(page, helpline.origin);
    await fresh.getByRole("button", { name: t.startButton }).waitFor();
  });
});
