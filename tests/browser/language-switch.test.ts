import { afterEach, describe, expect, it } from "vitest";
import { type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, openWidget } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * The frame fetches only its page's language's words with its first scripts (i18n/catalogue.ts);
 * switching language on the start screen fetches the other language's chunk then, and the view
 * changes language in one step once it is here.
 */
const run = await needService("chromium");

describe.runIf(run)("switching language on the start screen", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("loads Urdu's words only when chosen, then shows the start screen in Urdu, right to left, and back", async () => {
    scenario = await startScenario();
    const { page, helpline, survivor } = scenario;
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    const en = catalogue("en");
    const ur = catalogue("ur");
    await frame.getByRole("button", { name: en.startButton }).waitFor();
    const urduChunk = () =>
      survivor.traffic.requests.filter((r) => /\/frame\/assets\/ur-[^/]+\.js$/.test(r.url));
    const englishChunk = () =>
      survivor.traffic.requests.filter((r) => /\/frame\/assets\/en-[^/]+\.js$/.test(r.url));
    expect(englishChunk()).toHaveLength(1);
    expect(urduChunk()).toHaveLength(0);

    await frame.getByLabel(en.language).selectOption("ur");
    await frame.getByRole("button", { name: ur.startButton }).waitFor();
    expect(await frame.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(
      ["ur", "rtl"],
    );
    expect(await frame.getByRole("button", { name: en.startButton }).count()).toBe(0);
    expect(urduChunk()).toHaveLength(1);

    await frame.getByLabel(ur.language).selectOption("en");
    await frame.getByRole("button", { name: en.startButton }).waitFor();
    expect(await frame.evaluate(() => document.documentElement.dir)).toBe("ltr");
    expect(englishChunk()).toHaveLength(1);
  });
});
