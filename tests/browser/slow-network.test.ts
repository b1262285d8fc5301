import { afterEach, describe, expect, it } from "vitest";
import { emulateNetwork, SLOW_PROFILE } from "../support/browser-network.ts";
import { explained, type Scenario, startScenario } from "../support/browser-scenario.ts";
import {
  openWidget,
  recordConnectSteps,
  recordedSteps,
  sendMessage,
  startChat,
} from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 10: under CDP emulation of 400 kbit/s and 400 ms round trips (applied to the chat
 * frame's own target as well), the survivor can open the widget, get a counselor and send a
 * message, and while connecting sees real progress: each step of the list ticked as it
 * completes, in order. How long it takes is a benchmark figure (bench/browser.bench.ts), not
 * asserted here.
 */
const run = await needService("chromium");

describe.runIf(run)("slow network", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("opens the widget, ticks each connecting step in order, and sends a message at 400 kbit/s and 400 ms RTT", async () => {
    scenario = await startScenario();
    const { page, helpline, counselors, survivor } = scenario;
    await emulateNetwork(survivor, SLOW_PROFILE);
    await page.goto(helpline.partner.page("/"), { timeout: 60_000 });
    const frame = await openWidget(page, helpline.origin);
    await recordConnectSteps(frame);
    await startChat(frame);
    const chat = await counselors[0]!.nextChat(90_000);
    await sendMessage(page, frame, "hello from a slow phone");
    await explained(scenario, () =>
      expect
        .poll(() => chat.received.some((p) => p.type === "text" && p.body === "hello from a slow phone"), {
          timeout: 60_000,
        })
        .toBe(true),
    );
    // Every step was seen in progress, then done, one after another: securing the connection
    // (worker and relay), the proof of work, the counselor, the secure channel.
    expect((await recordedSteps(frame)).map((snapshot) => snapshot.states.join(" "))).toEqual([
      "current todo todo todo",
      "done current todo todo",
      "done done current todo",
      "done done done current",
    ]);
    // The emulation really applied to the frame: its requests went through the throttled target.
    expect(survivor.traffic.requests.filter((r) => r.targetType === "iframe").length).toBeGreaterThan(0);
  });
});
