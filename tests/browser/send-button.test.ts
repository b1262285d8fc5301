import { afterEach, describe, expect, it } from "vitest";
import { explained, openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, typeSlowly } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * The Send button, pressed as a person on a phone presses it (a tap on a touch screen, 360x640)
 * and with a mouse: every other scenario sends with Enter. The frame is sandboxed without
 * `allow-forms`, and in such a document a form is never submitted, not even its `submit` event
 * fires: a Send button that relied on the form's submission did nothing.
 */
const run = await needService("chromium");

describe.runIf(run)("the Send button", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  for (const how of ["tap", "click"] as const) {
    it(`sends the message on a ${how} and empties the box`, async () => {
      scenario = await startScenario({ launch: { viewport: { width: 360, height: 640 }, hasTouch: true } });
      const current = scenario;
      const { page } = current;
      const t = catalogue("en");
      const { frame, chat } = await openChat(current);
      const box = frame.getByRole("textbox", { name: t.messageLabel });
      const send = frame.getByRole("button", { name: t.send });
      const text = `sent by ${how}`;
      if (how === "tap") await box.tap();
      else await box.click();
      await typeSlowly(page, text);
      if (how === "tap") await send.tap();
      else await send.click();
      await explained(current, () =>
        expect
          .poll(() => chat.received.flatMap((p) => (p.type === "text" ? [p.body] : [])), { timeout: 20_000 })
          .toEqual([text]),
      );
      expect(await box.inputValue()).toBe("");
      expect(await frame.locator("li.msg.mine p").allTextContents()).toEqual([text]);
    });
  }
});
