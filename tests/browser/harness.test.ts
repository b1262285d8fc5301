import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { charCodes, containsCanary, makeCanary } from "../support/browser-canary.ts";
import { filesContaining, filesNaming } from "../support/browser-disk.ts";
import { heapContains } from "../support/browser-heap.ts";
import { historyDatabaseUrls, navigationHistory } from "../support/browser-history.ts";
import { launchBrowser, type ProbedBrowser } from "../support/browser-launch.ts";
import { inventory, isEmpty } from "../support/browser-storage.ts";
import { needService } from "../support/services.ts";
import { type LeakyServers, startLeakyServers } from "./harness-fixture.ts";

/**
 * The harness must be able to fail: a deliberately leaky frame stores a canary in every kind of
 * browser storage, sends it over a WebSocket and logs it, and each helper must find it. A green
 * "no trace" scenario elsewhere is only worth something because these pass.
 */
const run = await needService("chromium");

describe.runIf(run)("browser harness self-test", () => {
  let servers: LeakyServers;
  let browser: ProbedBrowser | undefined;

  beforeAll(async () => {
    servers = await startLeakyServers();
  });
  afterAll(async () => {
    await servers?.close();
  });
  afterEach(async () => {
    await browser?.dispose();
    browser = undefined;
  });

  /** A new tab of `b` on the partner page, whose leaky helpline frame has planted a new canary. */
  async function planted(b: ProbedBrowser) {
    const canary = makeCanary();
    const page = await b.context.newPage();
    await page.goto(`${servers.partnerOrigin}/`);
    const frame = page.frames().find((f) => f.url().startsWith(servers.helplineOrigin));
    if (!frame) throw new Error("no helpline frame in the partner page");
    await frame.evaluate(
      (codes) => (window as unknown as { plant: (c: number[]) => Promise<boolean> }).plant(codes),
      charCodes(canary),
    );
    return { canary, page, frame };
  }

  it("captures the cross-origin frame's WebSocket frames in its own target, text and binary", async () => {
    browser = await launchBrowser();
    const { canary } = await planted(browser);

    // The frame is cross-site (127.0.0.1 in 127.0.0.2): Chromium runs it as its own target.
    expect(browser.targets.find("iframe", servers.helplineOrigin)).toHaveLength(1);
    // CDP events arrive on their own connection, possibly after the page's promise settled.
    await expect
      .poll(() => browser!.traffic.framesFrom("iframe").length, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(3);
    const fromFrame = browser.traffic.framesFrom("iframe");
    const leaking = fromFrame.filter((f) => f.direction === "sent" && containsCanary(f.bytes, canary));
    expect(leaking.map((f) => f.opcode).sort()).toEqual([1, 2]);
    expect(browser.traffic.framesFrom("page")).toHaveLength(0);
    expect(browser.traffic.console.some((l) => l.targetType === "iframe" && l.text.includes(canary))).toBe(
      true,
    );
    // A canary that was never typed is found nowhere: the search does not match by accident.
    expect(browser.traffic.frames.some((f) => containsCanary(f.bytes, makeCanary()))).toBe(false);
  });

  it("finds the embedded origin's storage through a probe frame, and cookies and service workers", async () => {
    browser = await launchBrowser();
    const { canary, page } = await planted(browser);

    // Read through a probe frame of the helpline origin in the same tab.
    const helpline = await inventory(browser, page, servers.helplineOrigin);
    expect(helpline.localStorage).toEqual(["k"]);
    expect(helpline.sessionStorage).toEqual(["k"]);
    expect(helpline.indexedDb).toEqual(["leaky"]);
    expect(helpline.cacheStorage).toEqual(["leaky"]);
    expect(helpline.quotaUsage).toBeGreaterThan(0);
    const partner = await inventory(browser, page, servers.partnerOrigin);
    expect(partner).toMatchObject({
      localStorage: [],
      sessionStorage: [],
      indexedDb: [],
      cacheStorage: [],
      cookies: [],
    });
    expect(isEmpty(partner)).toBe(true);

    // After the frame is gone, the probe still reads the helpline origin's storage.
    await page.goto(`${servers.partnerOrigin}/exit`);
    expect((await inventory(browser, page, servers.helplineOrigin)).localStorage).toEqual(["k"]);

    const top = await browser.context.newPage();
    await top.goto(`${servers.helplineOrigin}/top.html`);
    await top.evaluate(
      (codes) => (window as unknown as { plantTop: (c: number[]) => Promise<boolean> }).plantTop(codes),
      charCodes(canary),
    );
    const firstParty = await inventory(browser, page, servers.helplineOrigin);
    expect(firstParty.cookies).toEqual(["leak"]);
    expect(firstParty.serviceWorkers.length).toBeGreaterThanOrEqual(1);
    expect(isEmpty(firstParty)).toBe(false);
  });

  it("sees the canary in the frame's heap, tracks workers, and lists navigation history", async () => {
    browser = await launchBrowser();
    const { canary, page, frame } = await planted(browser);
    const frameTarget = browser.targets.find("iframe", servers.helplineOrigin)[0]!;
    expect(await heapContains(browser.cdp, frameTarget.sessionId, canary)).toBe(true);
    expect(await heapContains(browser.cdp, frameTarget.sessionId, makeCanary())).toBe(false);

    await frame.evaluate(() => (window as unknown as { startWorker: () => void }).startWorker());
    await expect
      .poll(() => browser!.targets.attached().filter((t) => t.type === "worker").length, { timeout: 15_000 })
      .toBe(1);
    await frame.evaluate(() => (window as unknown as { stopWorker: () => void }).stopWorker());
    await expect
      .poll(() => browser!.targets.attached().filter((t) => t.type === "worker").length, { timeout: 15_000 })
      .toBe(0);

    await page.goto(`${servers.partnerOrigin}/exit`);
    const pageTarget = browser.targets
      .attached()
      .find((t) => t.type === "page" && t.url.startsWith(servers.partnerOrigin))!;
    const history = await navigationHistory(browser.cdp, pageTarget.sessionId);
    expect(history.slice(-2)).toEqual([`${servers.partnerOrigin}/`, `${servers.partnerOrigin}/exit`]);
  });

  it("finds the canary in the user-data directory and the History database after the browser closes", async () => {
    browser = await launchBrowser();
    const { canary, page } = await planted(browser);
    expect((await inventory(browser, page, servers.helplineOrigin)).localStorage).toEqual(["k"]);
    await browser.close();

    const files = filesContaining(browser.userDataDir, canary);
    expect(files.some((f) => f.includes("Local Storage"))).toBe(true);
    expect(files.some((f) => f.includes("IndexedDB"))).toBe(true);
    expect(filesContaining(browser.userDataDir, makeCanary())).toEqual([]);
    // The global history records the partner page, but neither the frame nor the storage probe.
    expect(historyDatabaseUrls(browser.userDataDir)).toEqual([`${servers.partnerOrigin}/`]);
    // The whole-profile URL search finds the embedded frame's origin where Chromium's
    // session-restore log keeps the partner page's child frame (UTF-16LE inside the page state),
    // and never an origin this browser did not see.
    const naming = filesNaming(browser.userDataDir, [servers.helplineOrigin]);
    expect(
      naming.some((n) => /^Default\/Sessions\/Session_/.test(n.file)),
      JSON.stringify(naming),
    ).toBe(true);
    expect(filesNaming(browser.userDataDir, ["http://127.0.0.9:1"])).toEqual([]);
  });
});
