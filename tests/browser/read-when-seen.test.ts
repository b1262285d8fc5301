import { afterEach, describe, expect, it } from "vitest";
import type { Payload } from "../../shared/protocol/index.ts";
import { openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, clickAccessible, launcherName } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * "Read" means the survivor saw the message: a message that arrives while the survivor has the
 * chat minimised (the panel hidden with its own Hide button) is delivered but not read; the read
 * receipt goes when the launcher shows the chat again. The counselor is scripted in Node and
 * records every payload it opened, read receipts included.
 */
const run = await needService("chromium");

const reads = (received: readonly Payload[]) => received.filter((p) => p.type === "read");

describe.runIf(run)("read receipts only for what the survivor can see", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("holds the receipt while the chat is minimised and sends it when shown again", async () => {
    scenario = await startScenario();
    const { frame, chat } = await openChat(scenario);
    const t = catalogue("en");
    await expect
      .poll(() => frame.getByRole("button", { name: t.send }).isEnabled(), { timeout: 60_000 })
      .toBe(true);

    // Visible: a message is read (the control case, so the probe below can tell a difference).
    chat.text("Are you safe right now?");
    await frame.getByText("Are you safe right now?").waitFor({ timeout: 30_000 });
    await expect.poll(() => reads(chat.received).length, { timeout: 15_000 }).toBe(1);

    // Minimised: delivered, not read.
    await frame.getByRole("button", { name: t.hide }).click();
    await expect.poll(() => frame.frameElement().then((el) => el.isHidden()), { timeout: 10_000 }).toBe(true);
    chat.text("Take your time.");
    await frame.getByText("Take your time.").waitFor({ state: "attached", timeout: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(reads(chat.received)).toHaveLength(1);

    // Shown again with the launcher: now it is read.
    await clickAccessible(scenario.page, "button", launcherName());
    await expect.poll(() => reads(chat.received).length, { timeout: 15_000 }).toBe(2);
  });
});
