import { describe, expect, it } from "vitest";
import { ct } from "../support/browser-console.ts";
import { consoleFixture, counselorSends } from "../support/browser-desk.ts";
import { emulateNetwork, OFFLINE, UNLIMITED } from "../support/browser-network.ts";
import { catalogue, sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * The counselor's laptop loses its network for 30 s mid-chat (CDP offline for the console's
 * browser; Chromium closes its WebSocket), both sides keep writing, then it comes back. The
 * console says it is reconnecting; the survivor is told the counselor's connection dropped and,
 * once it is back, no longer; every message arrives once, in the order it was written, on both
 * sides. (The survivor's own drop is network-drop.test.ts.)
 */
const run = await needService("chromium");

describe.runIf(run)("counselor offline mid-chat", () => {
  const fx = consoleFixture();

  it("30 s without network: told on both sides, then every message once and in order", async () => {
    const { browser: adminBrowser, page: admin } = await fx.adminDesk();
    await admin.locator("#status-select").selectOption("available");
    const { page: survivorPage, frame } = await fx.widgetSurvivor();
    const t = catalogue("en");
    await expect.poll(() => admin.getByRole("tab").count(), { timeout: 30_000 }).toBe(1);

    const survivorSays = ["s1 before", "s2 during", "s3 during", "s4 after"];
    const counselorSays = ["c1 before", "c2 during", "c3 during", "c4 after"];
    await sendMessage(survivorPage, frame, survivorSays[0]!);
    await admin.getByText(survivorSays[0]!).waitFor({ timeout: 30_000 });
    await counselorSends(admin, counselorSays[0]!);
    await frame.getByText(counselorSays[0]!).waitFor({ timeout: 30_000 });

    await emulateNetwork(adminBrowser, OFFLINE);
    const cut = Date.now();
    await counselorSends(admin, counselorSays[1]!);
    await sendMessage(survivorPage, frame, survivorSays[1]!);
    const away = frame.getByText(t.counselorAway);
    await away.waitFor({ timeout: 45_000 });
    await admin.getByText(ct("app.reconnecting")).waitFor({ timeout: 30_000 });
    await counselorSends(admin, counselorSays[2]!);
    await sendMessage(survivorPage, frame, survivorSays[2]!);
    await admin.waitForTimeout(Math.max(0, 30_000 - (Date.now() - cut)));

    await emulateNetwork(adminBrowser, UNLIMITED);
    await sendMessage(survivorPage, frame, survivorSays[3]!);
    await counselorSends(admin, counselorSays[3]!);
    for (const line of counselorSays) await frame.getByText(line).waitFor({ timeout: 60_000 });
    for (const line of survivorSays) await admin.getByText(line).waitFor({ timeout: 60_000 });
    await expect.poll(() => away.count(), { timeout: 30_000 }).toBe(0);
    await admin.waitForTimeout(1_000);

    const atSurvivor = await frame.getByRole("log", { name: t.transcript }).locator("li p").allTextContents();
    const atCounselor = await admin.locator("li.message p").allTextContents();
    for (const shown of [atSurvivor, atCounselor]) {
      expect(shown.filter((line) => line.startsWith("s"))).toEqual(survivorSays);
      expect(shown.filter((line) => line.startsWith("c"))).toEqual(counselorSays);
    }
  });
});
