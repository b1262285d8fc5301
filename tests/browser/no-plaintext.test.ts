import { afterEach, describe, expect, it } from "vitest";
import { containsCanary, makeCanary, makeUrduCanary } from "../support/browser-canary.ts";
import { describeSurvivor, openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 2: what each side types (English and Urdu canaries) never appears in any WebSocket
 * frame or HTTP request of the survivor's browser (the chat frame's own target included), in
 * the server's logs, or in its database. The counselor here is scripted over the real relay
 * with the real crypto core; the full-flow scenario repeats the check with the console's page.
 */
const run = await needService("chromium");

describe.runIf(run)("no plaintext leaves the survivor's browser", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("canaries typed by both sides appear in no frame, request, log line or database file", async () => {
    scenario = await startScenario();
    const { page, helpline, survivor } = scenario;
    const { frame, chat } = await openChat(scenario);

    const survivorCanaries = [makeCanary(), makeUrduCanary()];
    const counselorCanaries = [makeCanary(), makeUrduCanary()];
    for (const canary of survivorCanaries) await sendMessage(page, frame, canary);
    for (const canary of counselorCanaries) chat.text(canary);

    // Delivered and decrypted on both sides: the search below is not vacuous.
    await expect
      .poll(() =>
        chat.received.filter((p) => p.type === "text").map((p) => (p.type === "text" ? p.body : "")),
      )
      .toEqual(survivorCanaries);
    for (const canary of counselorCanaries) {
      await frame.getByText(canary).waitFor({ timeout: 20_000 });
    }

    const all = [...survivorCanaries, ...counselorCanaries];
    const fromFrame = survivor.traffic.framesFrom("iframe");
    expect(fromFrame.length, await describeSurvivor(scenario)).toBeGreaterThan(0);
    for (const canary of all) {
      expect(survivor.traffic.frames.filter((f) => containsCanary(f.bytes, canary))).toEqual([]);
      expect(survivor.traffic.requests.filter((r) => `${r.url} ${r.body}`.includes(canary))).toEqual([]);
      expect(survivor.traffic.console.filter((l) => l.text.includes(canary))).toEqual([]);
      expect(helpline.serverHolds(canary)).toEqual({ logs: false, database: [] });
    }
    // The chat really ran over the frame's socket: its frames carried the ciphertext.
    expect(fromFrame.filter((f) => f.direction === "sent").length).toBeGreaterThanOrEqual(
      survivorCanaries.length,
    );
  });
});
