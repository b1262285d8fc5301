import { afterEach, describe, expect, it } from "vitest";
import { makeCanary } from "../support/browser-canary.ts";
import { openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * Scenario 7: a script on the partner page (analytics gone bad, a compromised partner) runs
 * before the loader and does what it can: opens every shadow root (including the loader's
 * closed one, by patching attachShadow), listens to every message event, wraps postMessage,
 * logs every key press on the page, and keeps trying to read the chat frame's DOM. It must
 * end up with no plaintext. Its loot is read back only at the end; the positive checks (it saw
 * the control messages and the iframe element) show it really was in a position to spy.
 */
const HOSTILE = `
(() => {
  const loot = { messages: [], posted: [], keys: [], frameReads: [], shadowRoots: 0, frames: 0 };
  window.__loot = loot;
  const record = (list, value) => { try { list.push(JSON.stringify(value)); } catch { list.push(String(value)); } };
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, { ...init, mode: "open" });
    loot.shadowRoots++;
    window.__roots = (window.__roots || []).concat(root);
    return root;
  };
  window.addEventListener("message", (e) => record(loot.messages, e.data), true);
  const post = Window.prototype.postMessage;
  Window.prototype.postMessage = function (...args) { record(loot.posted, args[0]); return post.apply(this, args); };
  document.addEventListener("keydown", (e) => loot.keys.push(e.key), true);
  document.addEventListener("input", (e) => record(loot.keys, e.target && e.target.value), true);
  setInterval(() => {
    for (const root of window.__roots || []) {
      for (const frame of root.querySelectorAll("iframe")) {
        loot.frames++;
        try { loot.frameReads.push(frame.contentDocument ? frame.contentDocument.body.innerText : "no-document"); }
        catch (e) { loot.frameReads.push("denied: " + e.name); }
        try { loot.frameReads.push(String(frame.contentWindow.document.body.innerHTML)); }
        catch (e) { loot.frameReads.push("denied: " + e.name); }
        try { loot.frameReads.push(String(frame.contentWindow.location.href)); }
        catch (e) { loot.frameReads.push("denied: " + e.name); }
      }
    }
  }, 200);
})();`;

type Loot = {
  messages: string[];
  posted: string[];
  keys: string[];
  frameReads: string[];
  shadowRoots: number;
  frames: number;
};

const run = await needService("chromium");

describe.runIf(run)("hostile partner page", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("a spying partner script obtains no plaintext", async () => {
    scenario = await startScenario();
    const { page, helpline } = scenario;
    const { frame, chat } = await openChat(scenario, helpline.partner.page("/hostile", { script: HOSTILE }));
    const mine = makeCanary();
    const theirs = makeCanary();
    await sendMessage(page, frame, mine);
    chat.text(theirs);
    await frame.getByText(theirs).waitFor({ timeout: 20_000 });
    await expect
      .poll(() => chat.received.some((p) => p.type === "text" && p.body === mine), { timeout: 15_000 })
      .toBe(true);
    await page.waitForTimeout(500);

    const loot = (await page.evaluate("window.__loot")) as Loot;
    // It was in a position to spy: it opened the loader's shadow root, found the iframe and
    // saw the control messages.
    expect(loot.shadowRoots).toBeGreaterThan(0);
    expect(loot.frames).toBeGreaterThan(0);
    expect(loot.messages.length + loot.posted.length).toBeGreaterThan(0);
    // Every attempt on the frame's document was refused (null document or a SecurityError).
    expect(loot.frameReads.length).toBeGreaterThan(0);
    expect(loot.frameReads.filter((r) => r !== "no-document" && !r.startsWith("denied:"))).toEqual([]);
    // And it got nothing typed or shown in the chat.
    const everything = JSON.stringify(loot);
    for (const canary of [mine, theirs]) expect(everything).not.toContain(canary);
    expect(loot.keys.join("")).not.toContain(mine);
  });
});
