import { afterEach, describe, expect, it } from "vitest";
import { POW_CHALLENGE_TTL_MS } from "../../shared/protocol/index.ts";
import { explained, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, openWidget } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * A survivor on a slow, flaky phone network, in real Chromium, where the existing scenarios
 * (network-drop, slow-network, polling-fallback, queue-keep-alive, back-forward-cache) stop:
 * what happens when Start is pressed late, when the connection drops more than once, and when
 * a first attempt fails and the survivor tries again.
 */
const run = await needService("chromium");

describe.runIf(run)("a survivor on a flaky network", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("who reads the start screen longer than a challenge lives still gets a counselor after pressing Start", async () => {
    // The relay's clock moves on while the survivor reads (a slow reader, or a phone put down):
    // the challenge the frame was given on opening has expired when Start is pressed.
    let offset = 0;
    scenario = await startScenario({ helpline: { overrides: { now: () => Date.now() + offset } } });
    const current = scenario;
    const { page, helpline } = current;
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).waitFor();
    // The early connection has its challenge by now (the relay sends it on connecting).
    await expect.poll(() => helpline.instance.relay.counts().survivors, { timeout: 20_000 }).toBe(1);
    await page.waitForTimeout(500);
    offset += POW_CHALLENGE_TTL_MS + 1_000;
    await frame.getByRole("button", { name: t.startButton }).click();
    // The expired proof is refused, the relay sends a fresh challenge with the refusal, and
    // the frame must take that one up instead of waiting for ever on "Finding a counselor".
    await explained(current, () =>
      frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ state: "visible", timeout: 30_000 }),
    );
    await current.counselors[0]!.nextChat(10_000);
  });
});
