import type { ProbedBrowser } from "./browser-launch.ts";
import type { TargetRecord } from "./browser-targets.ts";

/**
 * Network emulation over CDP for every target of a browser, the chat frame's own process
 * included (an out-of-process iframe does not inherit its page's emulation). New targets get
 * the current profile before they are resumed.
 */
export type NetworkProfile = Readonly<{
  offline: boolean;
  latencyMs: number;
  downKbps: number;
  upKbps: number;
}>;

/** The slow mobile profile: 400 kbit/s each way and 400 ms round trips. */
export const SLOW_PROFILE: NetworkProfile = { offline: false, latencyMs: 400, downKbps: 400, upKbps: 400 };
export const OFFLINE: NetworkProfile = { offline: true, latencyMs: 0, downKbps: 0, upKbps: 0 };
/** No emulation (CDP treats -1 throughput as unlimited). */
export const UNLIMITED: NetworkProfile = { offline: false, latencyMs: 0, downKbps: -1, upKbps: -1 };

const current = new WeakMap<ProbedBrowser, NetworkProfile>();

function params(profile: NetworkProfile) {
  const rate = (kbps: number) => (kbps < 0 ? -1 : (kbps * 1000) / 8);
  return {
    offline: profile.offline,
    latency: profile.latencyMs,
    downloadThroughput: rate(profile.downKbps),
    uploadThroughput: rate(profile.upKbps),
  };
}

const emulates = (t: TargetRecord) => t.type === "page" || t.type === "iframe" || t.type === "worker";

export async function emulateNetwork(browser: ProbedBrowser, profile: NetworkProfile): Promise<void> {
  const first = !current.has(browser);
  current.set(browser, profile);
  if (first) {
    await browser.targets.addInitializer(async (cdp, target) => {
      const now = current.get(browser);
      if (now && emulates(target))
        await cdp.send("Network.emulateNetworkConditions", params(now), target.sessionId);
    });
  }
  await Promise.all(
    browser.targets
      .attached()
      .filter(emulates)
      .map((t) =>
        browser.cdp.send("Network.emulateNetworkConditions", params(profile), t.sessionId).catch(() => {}),
      ),
  );
}

const cpuRates = new WeakMap<ProbedBrowser, number>();
const throttles = (t: TargetRecord) => t.type === "page" || t.type === "iframe";

/**
 * Slows the CPU of the page and the chat frame (CDP `Emulation.setCPUThrottlingRate`; workers
 * cannot be throttled this way), for targets attached now and later. 1 = no slowdown.
 */
export async function emulateCpu(browser: ProbedBrowser, rate: number): Promise<void> {
  const first = !cpuRates.has(browser);
  cpuRates.set(browser, rate);
  if (first) {
    await browser.targets.addInitializer(async (cdp, target) => {
      const now = cpuRates.get(browser);
      if (now !== undefined && throttles(target))
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: now }, target.sessionId);
    });
  }
  await Promise.all(
    browser.targets
      .attached()
      .filter(throttles)
      .map((t) => browser.cdp.send("Emulation.setCPUThrottlingRate", { rate }, t.sessionId).catch(() => {})),
  );
}
