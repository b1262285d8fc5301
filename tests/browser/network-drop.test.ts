import { afterEach, describe, expect, it } from "vitest";
import { emulateNetwork, OFFLINE, UNLIMITED } from "../support/browser-network.ts";
import { explained, openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 8: the survivor's connection is cut mid-chat and restored. The browser goes offline
 * over CDP (in the chat frame's own target too) and the relay drops the frame's socket, as a
 * dead mobile link would; both sides keep writing; then the network comes back. Every message
 * must arrive exactly once and in order on both sides.
 */
const run = await needService("chromium");

describe.runIf(run)("network drop mid-chat", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("every message arrives exactly once, in order, on both sides", async () => {
    scenario = await startScenario();
    const { page, helpline, survivor } = scenario;
    const t = catalogue("en");
    const { frame, chat } = await openChat(scenario);

    const survivorSays = ["s1 before", "s2 during", "s3 during", "s4 after"];
    const counselorSays = ["c1 before", "c2 during", "c3 after"];
    await sendMessage(page, frame, survivorSays[0]!);
    chat.text(counselorSays[0]!);
    await frame.getByText(counselorSays[0]!).waitFor({ timeout: 20_000 });

    // Cut: no network for the browser, and the relay loses the survivor's socket.
    await emulateNetwork(survivor, OFFLINE);
    for (const socket of helpline.instance.io.of("/survivor").sockets.values()) socket.conn.close();
    await sendMessage(page, frame, survivorSays[1]!);
    await sendMessage(page, frame, survivorSays[2]!);
    chat.text(counselorSays[1]!);
    await page.waitForTimeout(3_000);

    await emulateNetwork(survivor, UNLIMITED);
    await sendMessage(page, frame, survivorSays[3]!);
    chat.text(counselorSays[2]!);

    const texts = () => chat.received.flatMap((p) => (p.type === "text" ? [p.body] : []));
    await explained(scenario, () => expect.poll(texts, { timeout: 60_000 }).toEqual(survivorSays));
    for (const line of counselorSays) await frame.getByText(line).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_000);

    // Exactly once, in order, in the survivor's transcript.
    const shown = await frame.getByRole("log", { name: t.transcript }).locator("li p").allTextContents();
    for (const line of [...survivorSays, ...counselorSays]) {
      expect(
        shown.filter((s) => s === line),
        line,
      ).toHaveLength(1);
    }
    const order = (prefix: string) => shown.filter((line) => line.startsWith(prefix));
    expect(order("s")).toEqual(survivorSays);
    expect(order("c")).toEqual(counselorSays);
    // And once at the counselor.
    expect(texts()).toEqual(survivorSays);
  });
});
