import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import type { Payload } from "../shared/protocol/payloads.ts";
import type { ScriptedChat } from "../tests/support/browser-counselor.ts";
import { chooseFile, noisyJpeg, photoWithGps } from "../tests/support/browser-images.ts";
import type { ProbedBrowser } from "../tests/support/browser-launch.ts";
import { emulateCpu, emulateNetwork } from "../tests/support/browser-network.ts";
import { openChat, type Scenario, startScenario } from "../tests/support/browser-scenario.ts";
import { DIST_DIR } from "../tests/support/browser-servers.ts";
import { catalogue } from "../tests/support/browser-widget.ts";
import { chromiumPath } from "../tests/support/services.ts";
import { IMAGE_STRINGS } from "../widget/frame/i18n/image-strings.ts";
import { LOOPBACK, type Profile, SLOW } from "./browser.bench.ts";
import type { BenchRow } from "./run.ts";

/**
 * Screenshots (PROTOCOL.md "Attachments"), in real Chromium against a scripted counselor over
 * the real relay:
 * - time to deliver an image of about 1 MiB (Send pressed in the frame's preview to the last
 *   chunk opened by the counselor), against a text message (Enter to opened) in the same run,
 *   on loopback and on the slow profile; the image's own size is printed, and the time is
 *   scaled to exactly 1 MiB;
 * - the peak memory (resident set) of the chat frame's renderer process while it decodes and
 *   re-encodes a 12-megapixel photo, against the same process just before.
 * The pacer sends 20 chunks a second (PROTOCOL.md "Pacing"), so a 1 MiB image takes about 13 s
 * even on loopback: this module runs for about four minutes (three browsers, two deliveries).
 */
const MIB = 1024 * 1024;
const t = catalogue("en");
const s = IMAGE_STRINGS.en;

/** Polls (every 5 ms) until the counselor has opened a payload matching `test`; ms waited. */
async function until(chat: ScriptedChat, test: (p: Payload[]) => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!test(chat.received)) {
    if (performance.now() > deadline) throw new Error("not delivered in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function textDelivery(page: Page, frame: Frame, chat: ScriptedChat, word: string): Promise<number> {
  await frame.getByRole("textbox", { name: t.messageLabel }).fill(word);
  const started = performance.now();
  await page.keyboard.press("Enter");
  await until(chat, (p) => p.some((x) => x.type === "text" && x.body === word), 60_000);
  return performance.now() - started;
}

async function pick(page: Page, frame: Frame, bytes: Uint8Array): Promise<void> {
  const chooser = page.waitForEvent("filechooser", { timeout: 30_000 });
  await frame.getByText(s.addImage).click();
  await chooseFile(chooser, "photo.jpg", bytes);
}

/** Sends the prepared image; ms from Send to the counselor's last chunk, and the image's bytes. */
async function imageDelivery(
  frame: Frame,
  chat: ScriptedChat,
): Promise<Readonly<{ ms: number; bytes: number }>> {
  await frame.getByText(s.imageCleaned).waitFor({ timeout: 120_000 });
  const before = chat.received.filter((p) => p.type === "image").length;
  const started = performance.now();
  await frame.getByRole("button", { name: s.imageSend }).click();
  let bytes = 0;
  await until(
    chat,
    (p) => {
      const header = p.filter((x) => x.type === "image")[before];
      if (header?.type !== "image") return false;
      bytes = header.bytes;
      return p.filter((x) => x.type === "image-chunk" && x.id === header.id).length === header.chunks;
    },
    300_000,
  );
  return { ms: performance.now() - started, bytes };
}

/** Resident set size (bytes) of every renderer process of the browser. */
async function rendererRss(browser: ProbedBrowser): Promise<Map<number, number>> {
  const info = await browser.cdp.send<{ processInfo: { type: string; id: number }[] }>(
    "SystemInfo.getProcessInfo",
  );
  const out = new Map<number, number>();
  for (const p of info.processInfo) {
    if (p.type !== "renderer") continue;
    try {
      const pages = Number(readFileSync(`/proc/${p.id}/statm`, "utf8").split(" ")[1]);
      out.set(p.id, pages * 4096);
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/**
 * Peak resident memory of the renderer that grows most while `work` runs (the chat frame's own
 * process: it decodes and re-encodes), sampled every 10 ms; and that process's size before.
 */
async function peakWhile(
  browser: ProbedBrowser,
  work: () => Promise<void>,
): Promise<Readonly<{ before: number; peak: number }>> {
  const before = await rendererRss(browser);
  const peaks = new Map(before);
  let running = true;
  const sampler = (async () => {
    while (running) {
      for (const [pid, rss] of await rendererRss(browser)) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, rss));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await sampler;
  }
  let best = { before: 0, peak: 0 };
  for (const [pid, peak] of peaks) {
    const start = before.get(pid) ?? 0;
    if (peak - start > best.peak - best.before) best = { before: start, peak };
  }
  return best;
}

async function deliveryRows(profile: Profile, short: string): Promise<BenchRow[]> {
  const scenario: Scenario = await startScenario();
  try {
    const { page, survivor } = scenario;
    await page.goto(scenario.helpline.partner.page("/"));
    const photo = await noisyJpeg(page, 2048, 1536);
    const { frame, chat } = await openChat(scenario);
    await emulateNetwork(survivor, profile.network);
    await emulateCpu(survivor, profile.cpuRate);
    const texts: number[] = [];
    for (let i = 0; i < 3; i++) texts.push(await textDelivery(page, frame, chat, `baseline${i}`));
    await pick(page, frame, photo);
    const image = await imageDelivery(frame, chat);
    const text = texts.reduce((a, b) => a + b, 0) / texts.length;
    return [
      {
        name: `image ${short}: deliver an image, scaled to 1 MiB (sent ${(image.bytes / 1024).toFixed(0)} KiB)`,
        value: (image.ms * MIB) / image.bytes,
        unit: "ms",
        baseline: text,
      },
    ];
  } finally {
    await scenario.close();
  }
}

async function memoryRows(): Promise<BenchRow[]> {
  const scenario = await startScenario();
  try {
    const { page, survivor } = scenario;
    await page.goto(scenario.helpline.partner.page("/"));
    const photo = await photoWithGps(page, 4000, 3000);
    const { frame } = await openChat(scenario);
    const { before, peak } = await peakWhile(survivor, async () => {
      await pick(page, frame, photo);
      await frame.getByText(s.imageCleaned).waitFor({ timeout: 120_000 });
    });
    return [
      {
        name: "image: frame renderer peak memory encoding a 12 MP photo (baseline: before)",
        value: peak / MIB,
        unit: "MiB",
        baseline: before / MIB,
      },
    ];
  } finally {
    await scenario.close();
  }
}

export async function run(): Promise<readonly BenchRow[]> {
  if (!existsSync(chromiumPath) || !existsSync(join(DIST_DIR, "frame/index.html"))) {
    console.error("image.bench.ts: SKIPPED (needs Chromium and `npm run build`)");
    return [];
  }
  return [
    ...(await deliveryRows(LOOPBACK, "loopback")),
    ...(await deliveryRows(SLOW, "slow")),
    ...(await memoryRows()),
  ];
}
