import { existsSync } from "node:fs";
import { join } from "node:path";
import { ready } from "../shared/crypto/index.ts";
import { ScriptedCounselor } from "../tests/support/browser-counselor.ts";
import { launchBrowser, type ProbedBrowser } from "../tests/support/browser-launch.ts";
import type { Frame, Page } from "playwright-core";
import {
  emulateCpu,
  emulateNetwork,
  type NetworkProfile,
  SLOW_PROFILE,
  UNLIMITED,
} from "../tests/support/browser-network.ts";
import { DIST_DIR, type Helpline, startHelpline } from "../tests/support/browser-servers.ts";
import { addCounselor, setupTestOrg } from "../tests/support/browser-staff.ts";
import {
  catalogue,
  chatFrame,
  launcherName,
  recordConnectSteps,
  recordedSteps,
} from "../tests/support/browser-widget.ts";
import { chromiumPath } from "../tests/support/services.ts";
import type { BenchRow } from "./run.ts";

/**
 * Real-browser figures (Debian's Chromium, fresh profile per round, server on loopback):
 * - partner page load time, transferred bytes and total blocking time, with the loader, each
 *   against the same page without it (the baseline, measured in the same round);
 * - the survivor's first contact, each against the issue's target: launcher click to the first
 *   paint with Quick exit, to an interactive start screen, Start (pressed 3 s after the start
 *   screen, as someone reading it would) to a secure channel with an auto-assigned counselor,
 *   and click to secure channel with Start pressed at once; the chat frame's bytes (frame and
 *   worker targets, as encoded on the wire) at each step;
 * on loopback and under the slow profile (400 kbit/s, 400 ms RTT on the page, the chat frame
 * and its worker; CPU 4x slower on the page and the frame through CDP), in the same run, plus a
 * waterfall of the slow run's and the last loopback run's requests with the moments the
 * survivor sees (first paint, start screen, each connecting step as the frame ticked it, secure
 * channel) and the bytes each step transferred. Rounds are few: a browser round costs seconds.
 */

// Total blocking time on the top page: the sum over long tasks of their time beyond 50 ms.
const TBT_SCRIPT = `if (window === window.top) {
  window.__tbt = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__tbt += Math.max(0, entry.duration - 50);
  }).observe({ type: "longtask", buffered: true });
}`;

// In the chat frame: the wall-clock moments its own document painted first (Chromium's
// first-contentful-paint), finished parsing and loaded, for the waterfall. Playwright sees the
// first paint's markup only once it can evaluate in the frame, which may be later.
const FRAME_MOMENTS_SCRIPT = `if (window !== window.top) {
  const moments = (window.__saharaMoments = {});
  const at = () => performance.timeOrigin + performance.now();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.name === "first-contentful-paint") moments.paint = performance.timeOrigin + entry.startTime;
  }).observe({ type: "paint", buffered: true });
  document.addEventListener("DOMContentLoaded", () => { moments.parsed = at(); });
  addEventListener("load", () => { moments.loaded = at(); });
  new MutationObserver((_, observer) => {
    if (!document.querySelector(".screen.start .primary")) return;
    moments.started = at();
    observer.disconnect();
  }).observe(document, { subtree: true, childList: true });
}`;

// On the partner page: the loader's shell lives in a closed shadow root, out of reach of
// Playwright's locators; the bench opens it (nothing painted changes) so the shell's Quick exit is
// waited for as the frame's is, by Playwright's visibility check in the page.
const OPEN_SHADOW_SCRIPT = `if (window === window.top) {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
}`;

type PageFigures = Readonly<{ loadMs: number; bytes: number; tbtMs: number }>;
/** Times from the launcher click (ms) and the chat frame's bytes (frame + worker targets) at each step. */
type Steps = Readonly<{
  /** The loader's shell with Quick exit (it paints before the frame has arrived). */
  firstPaintMs: number;
  /** The chat frame's own first paint with Quick exit (its page's markup, or the app). */
  frameFirstPaintMs: number;
  startScreenMs: number;
  /** Start pressed 3 s after the start screen showed: Start to secure channel. */
  startToChannelMs: number;
  /** Start pressed at once: launcher click to secure channel. */
  tapToChannelMs: number;
  /** Up to the frame's own first paint (the page's end at the earliest) when it reported one. */
  bytesFirstPaint: number;
  bytesStartScreen: number;
  bytesChannel: number;
  /**
   * The same two moments by the frame's own clock (its first contentful paint, and the start
   * screen's Start button entering its DOM): Playwright sees them only once it can evaluate in
   * the frame, which under CPU throttling and a loaded machine can be a second later.
   */
  ownFirstPaintMs: number;
  ownStartScreenMs: number;
}>;
/** A moment of a visit (ms from the launcher click), printed inside the waterfall. */
type Mark = Readonly<{ at: number; label: string }>;
type Round = Readonly<{
  without: PageFigures;
  with: PageFigures;
  steps: Steps;
  /** The visit with Start pressed at once. */
  hurried: Steps;
  waterfall: string;
  /** The visit with Start pressed after reading the start screen. */
  readWaterfall: string;
}>;

export type Profile = Readonly<{ label: string; network: NetworkProfile; cpuRate: number }>;
export const LOOPBACK: Profile = { label: "loopback", network: UNLIMITED, cpuRate: 1 };
export const SLOW: Profile = { label: "slow (400kbit/400ms, CPU 4x)", network: SLOW_PROFILE, cpuRate: 4 };

/** Loopback rounds (a round costs seconds); `BROWSER_BENCH_LOOPBACK_ROUNDS=1` for a quick look. */
const LOOPBACK_ROUNDS = Math.max(1, Number(process.env.BROWSER_BENCH_LOOPBACK_ROUNDS ?? 3) || 3);
/**
 * Chromium switches added for a diagnostic run, space-separated (e.g.
 * `--disable-site-isolation-trials`, to see what the out-of-process chat frame costs).
 */
const EXTRA_ARGS = (process.env.BROWSER_BENCH_CHROMIUM_ARGS ?? "").split(/\s+/).filter(Boolean);
/** Slow-profile rounds; the waterfalls printed are the first round's. */
const SLOW_ROUNDS = Math.max(1, Number(process.env.BROWSER_BENCH_SLOW_ROUNDS ?? 1) || 1);

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

/**
 * Bytes (as encoded on the wire) of the helpline's responses that started after `from` and had
 * finished by `until` (by now if not given): the frame page (fetched by the partner page's target), its scripts, styles,
 * API answers and the worker's.
 */
const helplineBytes = (browser: ProbedBrowser, origin: string, from: number, until = Infinity) =>
  browser.traffic.timeline
    .filter(
      (r) =>
        r.startedAt >= from && r.finishedAt !== null && r.finishedAt <= until && r.url.startsWith(origin),
    )
    .reduce((sum, r) => sum + r.bytes, 0);

async function frameOf(page: Page, origin: string): Promise<Frame> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const frame = chatFrame(page, origin);
    if (frame) return frame;
    if (performance.now() > deadline) throw new Error("the chat frame did not appear");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitForChannel(page: Page, frame: Frame): Promise<void> {
  const send = frame.getByRole("button", { name: catalogue("en").send });
  await send.waitFor({ state: "visible", timeout: 120_000 });
  while (await send.isDisabled()) await page.waitForTimeout(20);
}

async function endChat(frame: Frame): Promise<void> {
  const t = catalogue("en");
  await frame.getByRole("button", { name: t.endChat }).click();
  await frame.getByRole("button", { name: t.endErase }).click();
  await frame.getByRole("heading", { name: t.endedTitle }).waitFor({ timeout: 60_000 });
}

/** One survivor visit: click, first paint, start screen; Start after `pauseMs`; secure channel. */
async function visit(browser: ProbedBrowser, helpline: Helpline, pauseMs: number) {
  const page = await browser.context.newPage();
  await page.goto(helpline.partner.page("/bench-with"), { waitUntil: "load", timeout: 120_000 });
  // Found before the clock starts: the tap is the mouse click itself.
  const launcher = page.getByRole("button", { name: launcherName() });
  await launcher.waitFor({ state: "visible", timeout: 120_000 });
  const box = await launcher.boundingBox();
  if (!box) throw new Error("the launcher has no box");
  const clicked = performance.now();
  const clickedWall = Date.now();
  const marks: Mark[] = [];
  const mark = (label: string) => marks.push({ at: performance.now() - clicked, label });
  const frameBytes = () => helplineBytes(browser, helpline.origin, clicked);
  // The shell's Quick exit, in the partner page's own document (not in the chat frame).
  const shellQuickExit = page.getByRole("button", { name: catalogue("en").quickExit, exact: true });
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await shellQuickExit.waitFor({ state: "visible", timeout: 120_000 });
  const firstPaintMs = performance.now() - clicked;
  mark("loader's shell with Quick exit");
  const frame = await frameOf(page, helpline.origin);
  // The first paint's Quick exit is a link; the app's is a button: either counts.
  await frame.locator(".bar .quick-exit").first().waitFor({ state: "visible", timeout: 120_000 });
  const frameFirstPaintMs = performance.now() - clicked;
  mark("frame's first paint with Quick exit");
  const bytesFirstPaint = frameBytes();
  const start = frame.getByRole("button", { name: catalogue("en").startButton });
  await start.waitFor({ state: "visible", timeout: 120_000 }).catch(async (error: unknown) => {
    // What the frame shows instead, and what its console said: a failed round explains itself.
    const shown = await frame
      .evaluate(() => document.getElementById("app")?.textContent ?? "")
      .catch(() => "");
    const said = browser.traffic.console.map((line) => line.text).join("\n");
    throw new Error(`no start screen; the frame shows: ${shown}\nconsole:\n${said}`, { cause: error });
  });
  const startScreenMs = performance.now() - clicked;
  mark("start screen");
  const bytesStartScreen = frameBytes();
  await recordConnectSteps(frame);
  if (pauseMs > 0) await page.waitForTimeout(pauseMs);
  const pressed = performance.now();
  mark("Start pressed");
  await start.click();
  await waitForChannel(page, frame);
  const done = performance.now();
  mark("secure channel (Send enabled)");
  // The frame's own step list, as it ticked (wall clock in the frame, same machine).
  const names = ["securing the connection", "proof of work", "waiting for a counselor", "secure channel"];
  const moments = ((await frame.evaluate("globalThis.__saharaMoments")) ?? {}) as Record<string, number>;
  for (const [key, label] of [
    ["paint", "frame's own first contentful paint"],
    ["parsed", "frame DOMContentLoaded (entry script ran)"],
    ["loaded", "frame load (init sent)"],
    ["started", "frame rendered the start screen (its own clock)"],
  ] as const) {
    const wall = moments[key];
    if (wall !== undefined) marks.push({ at: wall - clickedWall, label });
  }
  for (const snapshot of await recordedSteps(frame)) {
    const current = snapshot.states.indexOf("current");
    if (current >= 0) marks.push({ at: snapshot.at - clickedWall, label: `step: ${names[current]}` });
  }
  // Bytes before the first paint, by the frame's own paint when it reported one: Playwright
  // sees the paint later, by which time the entry script may have arrived too. The page itself
  // always counts (CDP may report its end a little after the paint it made).
  const ownPaintAt = moments.paint === undefined ? Number.NaN : clicked + (moments.paint - clickedWall);
  const pageDone =
    browser.traffic.timeline.find(
      (r) =>
        r.startedAt >= clicked &&
        r.url.startsWith(`${helpline.origin}/frame/`) &&
        !r.url.startsWith(`${helpline.origin}/frame/assets/`),
    )?.finishedAt ?? Number.NaN;
  const bytesBeforeOwnPaint =
    Number.isNaN(ownPaintAt) || Number.isNaN(pageDone)
      ? bytesFirstPaint
      : helplineBytes(browser, helpline.origin, clicked, Math.max(ownPaintAt, pageDone));
  const figures = {
    ownFirstPaintMs: (moments.paint ?? Number.NaN) - clickedWall,
    ownStartScreenMs: (moments.started ?? Number.NaN) - clickedWall,
    firstPaintMs,
    frameFirstPaintMs,
    startScreenMs,
    startToChannelMs: done - pressed,
    tapToChannelMs: done - clicked,
    bytesFirstPaint: bytesBeforeOwnPaint,
    bytesStartScreen,
    bytesChannel: frameBytes(),
  };
  await endChat(frame);
  await page.close();
  return { figures, clicked, marks };
}

function waterfall(
  browser: ProbedBrowser,
  origin: string,
  from: number,
  marks: readonly Mark[],
  until: number,
): string {
  const requests = browser.traffic.timeline
    .filter(
      (r) =>
        r.startedAt >= from &&
        r.startedAt < until &&
        (r.url.startsWith(origin) || r.url.startsWith(origin.replace(/^http/, "ws"))),
    )
    .map((r) => {
      const url = new URL(r.url);
      const end = r.finishedAt === null ? "open" : `${Math.round(r.finishedAt - from)}`.padStart(6);
      return {
        at: r.startedAt - from,
        line: `  ${`${Math.round(r.startedAt - from)}`.padStart(6)} → ${end} ms ${`${r.bytes}`.padStart(8)} B  ${r.targetType.padEnd(6)} ${url.pathname}${url.search ? url.search.slice(0, 40) : ""}`,
      };
    });
  const moments = marks.map((m) => ({
    at: m.at,
    line: `  ${`${Math.round(m.at)}`.padStart(6)} ms ── ${m.label}`,
  }));
  return [...requests, ...moments]
    .sort((a, b) => a.at - b.at)
    .map((l) => l.line)
    .join("\n");
}

async function round(helpline: Helpline, profile: Profile): Promise<Round> {
  const browser = await launchBrowser({ extraArgs: EXTRA_ARGS });
  try {
    await browser.context.addInitScript(TBT_SCRIPT);
    await browser.context.addInitScript(FRAME_MOMENTS_SCRIPT);
    await browser.context.addInitScript(OPEN_SHADOW_SCRIPT);
    await emulateNetwork(browser, profile.network);
    await emulateCpu(browser, profile.cpuRate);
    // Warm-up: the first page of a fresh browser pays for starting a renderer; measure neither.
    await loadPartner(browser, helpline.partner.page("/bench-warm-up", { withoutLoader: true }));
    const without = await loadPartner(
      browser,
      helpline.partner.page("/bench-without", { withoutLoader: true }),
    );
    const withLoader = await loadPartner(browser, helpline.partner.page("/bench-with"));
    // The survivor reads the start screen for 3 s, then presses Start.
    const read = await visit(browser, helpline, 3_000);
    // The survivor presses Start at once.
    const hurried = await visit(browser, helpline, 0);
    const steps: Steps = {
      ...read.figures,
      tapToChannelMs: hurried.figures.tapToChannelMs,
    };
    return {
      without,
      with: withLoader,
      steps,
      hurried: hurried.figures,
      waterfall: waterfall(browser, helpline.origin, hurried.clicked, hurried.marks, Infinity),
      readWaterfall: waterfall(browser, helpline.origin, read.clicked, read.marks, hurried.clicked),
    };
  } finally {
    await browser.dispose();
  }
}

type Targets = Readonly<{
  firstPaint: number;
  startScreen: number;
  startToChannel: number;
  tapToChannel: number;
}>;
const TARGETS: Readonly<Record<"loopback" | "slow", Targets>> = {
  loopback: { firstPaint: 100, startScreen: 250, startToChannel: 300, tapToChannel: 600 },
  slow: { firstPaint: 1200, startScreen: 2000, startToChannel: 2000, tapToChannel: 5000 },
};
const FIRST_PAINT_BYTES_TARGET = 20 * 1024;

function rows(
  label: string,
  rounds: readonly Round[],
  targets: Targets,
  withBytesTarget: boolean,
): BenchRow[] {
  const baseline = mean(rounds.map((r) => r.without.loadMs));
  const step = (pick: (s: Steps) => number) => mean(rounds.map((r) => pick(r.steps)));
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
      name: `browser ${label}: tap to first paint with Quick exit`,
      value: step((s) => s.firstPaintMs),
      unit: "ms",
      target: targets.firstPaint,
    },
    {
      name: `browser ${label}: tap to the frame's first paint with Quick exit`,
      value: step((s) => s.frameFirstPaintMs),
      unit: "ms",
    },
    {
      name: `browser ${label}: tap to interactive start screen`,
      value: step((s) => s.startScreenMs),
      unit: "ms",
      target: targets.startScreen,
    },
    {
      // The frame paints under the loader's shell, which is the first paint with Quick exit (the
      // target row above); this one shows what the frame itself costs.
      name: `browser ${label}: tap to the frame's first contentful paint, its own clock`,
      value: step((s) => s.ownFirstPaintMs),
      unit: "ms",
    },
    {
      name: `browser ${label}: tap to start screen rendered, frame's own clock`,
      value: step((s) => s.ownStartScreenMs),
      unit: "ms",
      target: targets.startScreen,
    },
    {
      name: `browser ${label}: Start (3 s after start screen) to secure channel`,
      value: step((s) => s.startToChannelMs),
      unit: "ms",
      target: targets.startToChannel,
    },
    {
      name: `browser ${label}: tap to secure channel, Start at once`,
      value: step((s) => s.tapToChannelMs),
      unit: "ms",
      target: targets.tapToChannel,
    },
    {
      name: `browser ${label}: frame bytes before first paint`,
      value: step((s) => s.bytesFirstPaint),
      unit: "bytes",
      ...(withBytesTarget ? { target: FIRST_PAINT_BYTES_TARGET } : {}),
    },
    {
      name: `browser ${label}: frame bytes to start screen`,
      value: step((s) => s.bytesStartScreen),
      unit: "bytes",
    },
    {
      name: `browser ${label}: frame bytes to secure channel`,
      value: step((s) => s.bytesChannel),
      unit: "bytes",
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
    for (let i = 0; i < LOOPBACK_ROUNDS; i++) loopback.push(await round(helpline, LOOPBACK));
    const slow: Round[] = [];
    for (let i = 0; i < SLOW_ROUNDS; i++) slow.push(await round(helpline, SLOW));
    console.log(
      `\nWaterfall of the slow run (Start at once; ms from the launcher click, encoded bytes; ── marks the moments the survivor sees):\n${slow[0]?.waterfall ?? ""}\n`,
    );
    console.log(
      `Waterfall of the slow run, Start pressed 3 s after the start screen:\n${slow[0]?.readWaterfall ?? ""}\n`,
    );
    console.log(`Waterfall of the last loopback run (Start at once):\n${loopback.at(-1)?.waterfall ?? ""}\n`);
    console.log(
      `Bytes each step transferred (the chat frame's responses, encoded on the wire, Start at once):`,
    );
    for (const [label, rounds] of [
      [LOOPBACK.label, loopback],
      [SLOW.label, slow],
    ] as const) {
      const b = (pick: (s: Steps) => number) => Math.round(mean(rounds.map((r) => pick(r.hurried))));
      console.log(
        `  ${label}: tap → first paint ${b((s) => s.bytesFirstPaint)} B; first paint → start screen ${b((s) => s.bytesStartScreen - s.bytesFirstPaint)} B; start screen → secure channel ${b((s) => s.bytesChannel - s.bytesStartScreen)} B`,
      );
    }
    console.log("");
    return [
      ...rows(LOOPBACK.label, loopback, TARGETS.loopback, false),
      ...rows(SLOW.label, slow, TARGETS.slow, true),
    ];
  } finally {
    counselor?.close();
    await helpline.close();
  }
}
