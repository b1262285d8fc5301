import { describe, expect, it } from "vitest";
import { ct, submitWrapUp } from "../support/browser-console.ts";
import { consoleFixture, counselorSends } from "../support/browser-desk.ts";
import { catalogue, sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * The survivor leaves with quick exit mid-chat (the frame's button, in a real widget): the
 * counselor's console says so in plain words, erases the conversation, and the wrap-up form is
 * there and files (the relay's one-time token came with the ending).
 */
const run = await needService("chromium");

describe.runIf(run)("wrap-up after a quick exit", () => {
  const fx = consoleFixture();

  it("the console says the visitor left quickly, erases the text, and the wrap-up files", async () => {
    const { page: desk } = await fx.adminDesk();
    await desk.locator("#status-select").selectOption("available");
    const { page: survivorPage, frame } = await fx.widgetSurvivor();
    const t = catalogue("en");
    await expect.poll(() => desk.getByRole("tab").count(), { timeout: 30_000 }).toBe(1);
    await sendMessage(survivorPage, frame, "s1 before the exit");
    await desk.getByText("s1 before the exit").waitFor({ timeout: 30_000 });
    await counselorSends(desk, "c1 before the exit");
    await frame.getByText("c1 before the exit").waitFor({ timeout: 30_000 });

    await frame.getByRole("button", { name: t.quickExit }).click();
    await desk.getByText(ct("ended.quick-exit")).waitFor({ timeout: 30_000 });
    await desk.getByRole("heading", { name: ct("wrapup.title") }).waitFor({ timeout: 30_000 });
    expect(await desk.getByText("s1 before the exit").count()).toBe(0);
    expect(await desk.getByText(ct("wrapup.noToken")).count()).toBe(0);
    await submitWrapUp(desk, "whatsapp");
    await desk
      .getByRole("status")
      .filter({ hasText: ct("wrapup.filed") })
      .waitFor({ timeout: 30_000 });
  });
});
