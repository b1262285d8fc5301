import { afterEach, describe, expect, it } from "vitest";
import { explained, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, openWidget, startChat } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * The frame build ships libsodium's WebAssembly as a file of its own (widget/vite.frame.config.ts),
 * fetched and compiled by the frame and handed to the crypto worker. The chat works with it (one
 * fetch of the .wasm, as application/wasm); and when it cannot be fetched, Start tells the
 * survivor the connection failed instead of "Securing the connection…" forever.
 */
const run = await needService("chromium");

describe.runIf(run)("libsodium's WebAssembly", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("is fetched once by the frame and the chat gets a secure channel", async () => {
    scenario = await startScenario();
    const current = scenario;
    const { page, helpline, survivor } = current;
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await explained(current, () => startChat(frame));
    const wasm = survivor.traffic.requests.filter((r) => r.url.endsWith(".wasm"));
    expect(wasm.map((r) => r.targetType)).toEqual(["iframe"]);
  });

  it("that cannot be fetched makes Start fail with a message, not hang", async () => {
    scenario = await startScenario();
    const { page, helpline } = scenario;
    await page.context().route(`${helpline.origin}/frame/assets/*.wasm`, (route) => route.abort());
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    const t = catalogue("en");
    await frame.getByRole("button", { name: t.startButton }).click();
    await frame.getByText(t.startError["connect-failed"]).waitFor({ timeout: 30_000 });
    expect(await frame.getByRole("textbox", { name: t.messageLabel }).count()).toBe(0);
  });
});
