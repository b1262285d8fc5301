import { existsSync } from "node:fs";
import { join } from "node:path";
import { ready } from "../shared/crypto/index.ts";
import { ScriptedCounselor } from "../tests/support/browser-counselor.ts";
import { launchBrowser, type ProbedBrowser } from "../tests/support/browser-launch.ts";
import {
  emulateNetwork,
  type NetworkProfile,
  SLOW_PROFILE,
  UNLIMITED,
} from "../tests/support/browser-network.ts";
import { DIST_DIR, type Helpline, startHelpline } from "../tests/support/browser-servers.ts";
import { addCounselor, setupTestOrg } from "../tests/support/browser-staff.ts";
import {
  catalogue,
  clickAccessible,
  launcherName,
  waitForChatFrame,
} from "../tests/support/browser-widget.ts";
import { chromiumPath } from "../tests/support/services.ts";
import type { BenchRow } from "./run.ts";

/**
 * Real-browser figures (Debian's Chromium, fresh profile per round, server on loopback):
 * - partner page load time, transferred bytes and total blocking time, with the loader, each
 *   against the same page without it (the baseline, measured in the same round);
 * - from the launcher click to an interactive start screen, and to an established secure
 *   channel with a counselor who is auto-assigned, with the no-loader page load as baseline;
 * on loopback and under the slow profile (400 kbit/s, 400 ms RTT, applied to the chat frame's
 * own target too). Rounds are few: a browser round costs seconds, not microseconds.
 */

// Total blocking time on the top page: the sum over long tasks of their time beyond 50 ms.
const TBT_SCRIPT = `if (window === window.top) {
  window.__tbt = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__tbt += Math.max(0, entry.duration - 50);
  }).observe({ type: "longtask", buffered: true });
}`;

type PageFigures = Readonly<{ loadMs: number; bytes: number; tbtMs: number }>;
type Round = Readonly<{ without: PageFigures; with: PageFigures; startScreenMs: number; channelMs: number }>;

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

async function loadPartner(browser: ProbedBrowser, url: string): Promise<PageFigures> {
  const page = await browser.context.newPage();
  const before = browser.traffic.transferred.get("page") ?? 0;
  const started = performance.now();
  await page.goto(url, { waitUntil: "load", timeout: 120_000 });
  const loadMs = performance.now() - started;
  await page.waitForTimeout(1_000);
  const tbtMs = Number(await page.evaluate("window.__tbt ?? 0"));
  const bytes = (browser.traffic.transferred.get("page") ?? 0) - before;
  await page.close();
  return { loadMs, bytes, tbtMs };
}

async function round(helpline: Helpline, profile: NetworkProfile): Promise<Round> {
  const browser = await launchBrowser();
  try {
    await browser.context.addInitScript(TBT_SCRIPT);
    await emulateNetwork(browser, profile);
    // Warm-up: the first page of a fresh browser pays for starting a renderer; measure neither.
    await loadPartner(browser, helpline.partner.page("/bench-warm-up", { withoutLoader: true }));
    const without = await loadPartner(
      browser,
      helpline.partner.page("/bench-without", { withoutLoader: true }),
    );
    const withLoader = await loadPartner(browser, helpline.partner.page("/bench-with"));

    const t = catalogue("en");
    const page = await browser.context.newPage();
    await page.goto(helpline.partner.page("/bench-with"), { waitUntil: "load", timeout: 120_000 });
    const clicked = performance.now();
    await clickAccessible(page, "button", launcherName());
    const frame = await waitForChatFrame(page, helpline.origin, 120_000);
    const start = frame.getByRole("button", { name: t.startButton });
    await start.waitFor({ state: "visible", timeout: 120_000 });
    const startScreenMs = performance.now() - clicked;
    await start.click();
    const send = frame.getByRole("button", { name: t.send });
    await send.waitFor({ state: "visible", timeout: 120_000 });
    while (await send.isDisabled()) await page.waitForTimeout(20);
    const channelMs = performance.now() - clicked;
    // Free the counselor for the next round.
    await frame.getByRole("button", { name: t.endChat }).click();
    await frame.getByRole("heading", { name: t.endedTitle }).waitFor({ timeout: 60_000 });
    return { without, with: withLoader, startScreenMs, channelMs };
  } finally {
    await browser.dispose();
  }
}

function rows(label: string, rounds: readonly Round[]): BenchRow[] {
  const baseline = mean(rounds.map((r) => r.without.loadMs));
  return [
    {
      name: `browser ${label}: partner page load, with loader`,
      value: mean(rounds.map((r) => r.with.loadMs)),
      unit: "ms",
      baseline,
    },
    {
      name: `browser ${label}: partner page bytes, with loader`,
      value: mean(rounds.map((r) => r.with.bytes)),
      unit: "bytes",
      baseline: mean(rounds.map((r) => r.without.bytes)),
    },
    {
      name: `browser ${label}: partner total blocking time, with loader`,
      value: mean(rounds.map((r) => r.with.tbtMs)),
      unit: "ms",
      baseline: mean(rounds.map((r) => r.without.tbtMs)),
    },
    {
      name: `browser ${label}: launcher click to start screen`,
      value: mean(rounds.map((r) => r.startScreenMs)),
      unit: "ms",
      baseline,
    },
    {
      name: `browser ${label}: launcher click to secure channel`,
      value: mean(rounds.map((r) => r.channelMs)),
      unit: "ms",
      baseline,
    },
  ];
}

export async function run(): Promise<readonly BenchRow[]> {
  if (!existsSync(chromiumPath) || !existsSync(join(DIST_DIR, "frame/index.html"))) {
    console.error("browser.bench.ts: SKIPPED (needs Chromium and `npm run build`)");
    return [];
  }
  await ready();
  const helpline = await startHelpline();
  let counselor: ScriptedCounselor | undefined;
  try {
    const org = await setupTestOrg(helpline);
    const member = await addCounselor(helpline.origin, org, "bench", "Bench");
    counselor = await ScriptedCounselor.connect(helpline.origin, member);
    const loopback: Round[] = [];
    for (let i = 0; i < 3; i++) loopback.push(await round(helpline, UNLIMITED));
    const slow = [await round(helpline, SLOW_PROFILE)];
    return [...rows("loopback", loopback), ...rows("400kbit/400ms", slow)];
  } finally {
    counselor?.close();
    await helpline.close();
  }
}
