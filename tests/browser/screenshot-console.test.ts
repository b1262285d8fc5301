import { readFileSync } from "node:fs";
import type { Frame, Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { consoleScreen, ct } from "../support/browser-console.ts";
import { consoleFixture, dialogReady } from "../support/browser-desk.ts";
import { containsCanary } from "../support/browser-canary.ts";
import { heapHoldsBytes, heapSnapshot } from "../support/browser-heap.ts";
import { chooseFile, liveBlobs, photoWithGps, windowsOf } from "../support/browser-images.ts";
import type { ProbedBrowser } from "../support/browser-launch.ts";
import { pageSessionId } from "../support/browser-page-target.ts";
import type { Helpline } from "../support/browser-servers.ts";
import { catalogue, frameUrlPrefix, openWidget } from "../support/browser-widget.ts";
import { GPS_PATTERN, indexOf } from "../support/exif-jpeg.ts";
import { needService } from "../support/services.ts";
import { IMAGE_STRINGS } from "../../widget/frame/i18n/image-strings.ts";

/**
 * Issue 13 with the real console: the survivor sends a JPEG carrying EXIF GPS; the console shows
 * it; "Save as evidence" warns first, then the audit log gets its line and the file downloads,
 * without EXIF. The counselor sends an image back, which the frame shows. No window of either
 * image is in any WebSocket frame, request, server log line or database file; after End chat
 * (and, in the second test, after Quick exit) neither the frame nor the console holds an object
 * URL of them or any copy of their bytes in a live buffer.
 */
const run = await needService("chromium");

const EXIF = new TextEncoder().encode("Exif\0\0");
const t = catalogue("en");
const s = IMAGE_STRINGS.en;

type Exchanged = Readonly<{
  helpline: Helpline;
  admin: Page;
  adminBrowser: ProbedBrowser;
  survivor: ProbedBrowser;
  page: Page;
  frame: Frame;
  /** The survivor's image as the console saved it, and the counselor's as the console sent it. */
  saved: Uint8Array;
  sent: Uint8Array;
  /** Object URLs showing the images, in the console and in the frame. */
  consoleUrls: readonly string[];
  frameUrls: readonly string[];
}>;

function expectClean(jpeg: Uint8Array): void {
  expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
  expect(indexOf(jpeg, EXIF)).toBe(-1);
  expect(indexOf(jpeg, GPS_PATTERN)).toBe(-1);
  expect(indexOf(jpeg.subarray(0, 64), Uint8Array.from([0xff, 0xe1]))).toBe(-1);
}

const imgSources = (where: Page | Frame, selector: string) =>
  where.locator(selector).evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).src));

async function evidenceSaves(helpline: Helpline) {
  return helpline.instance.db.db
    .selectFrom("audit_log")
    .selectAll()
    .where("action", "=", "evidence-save")
    .execute();
}

describe.runIf(run)("screenshots with the real console", () => {
  const fx = consoleFixture();

  async function exchange(): Promise<Exchanged> {
    const { helpline, browser: adminBrowser, page: admin } = await fx.adminDesk();
    await consoleScreen(admin, "#/chats");
    await admin.locator("#status-select").selectOption("available");
    const { browser: survivor, page } = await fx.browser({});
    await page.goto(helpline.partner.page("/"));
    // Drawn before the chat opens, in the partner page (another process than the frame's).
    const photo = await photoWithGps(page, 2600, 1200);
    const guide = await photoWithGps(page, 900, 700);
    expect(indexOf(photo, GPS_PATTERN)).toBeGreaterThan(0);
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    await admin.getByRole("textbox", { name: ct("chat.message") }).waitFor({ timeout: 60_000 });
    await expect
      .poll(() => frame.getByRole("button", { name: t.send }).isEnabled(), { timeout: 60_000 })
      .toBe(true);

    // The survivor picks the photo; the frame re-encodes it and sends it on Send.
    const chooser = page.waitForEvent("filechooser", { timeout: 30_000 });
    await frame.getByText(s.addImage).click();
    await chooseFile(chooser, "photo.jpg", photo);
    await frame.getByText(s.imageCleaned).waitFor({ timeout: 60_000 });
    await frame.getByRole("button", { name: s.imageSend }).click();

    // The console shows a thumbnail once every chunk is in and checked.
    const thumb = admin.getByRole("button", { name: ct("chat.imageOpen") });
    await thumb.waitFor({ timeout: 120_000 });
    await expect
      .poll(() => thumb.locator("img").evaluate((img) => (img as HTMLImageElement).naturalWidth), {
        timeout: 30_000,
      })
      .toBe(2048);

    // Save as evidence: a warning first; nothing recorded, nothing downloaded until confirmed.
    const downloads: string[] = [];
    admin.on("download", (d) => downloads.push(d.suggestedFilename()));
    await thumb.click();
    const viewer = await dialogReady(admin, ct("chat.imageTitle"));
    await viewer.getByRole("button", { name: ct("chat.imageSave") }).click();
    await viewer.getByRole("alert").getByText(ct("chat.imageSaveWarning")).waitFor();
    expect(downloads).toEqual([]);
    expect(await evidenceSaves(helpline)).toEqual([]);
    const download = admin.waitForEvent("download", { timeout: 30_000 });
    // While the save is being recorded, focus stays in the viewer (a disabled button would drop
    // it to the page's body, where Escape no longer reaches the viewer).
    const recording: Route[] = [];
    await admin.route("**/api/evidence-saves", (route) => void recording.push(route));
    await viewer.getByRole("button", { name: ct("chat.imageSaveConfirm") }).click();
    await expect.poll(() => recording.length).toBe(1);
    expect(await viewer.evaluate((box) => box.contains(document.activeElement))).toBe(true);
    await recording[0]?.continue();
    await admin.unroute("**/api/evidence-saves");
    const saved = Uint8Array.from(readFileSync(await (await download).path()));
    expectClean(saved);
    const [adminRow] = await helpline.instance.db.db
      .selectFrom("staff")
      .select("id")
      .where("username", "=", "admin")
      .execute();
    expect((await evidenceSaves(helpline)).map((r) => [r.actor, r.target])).toEqual([[adminRow?.id, null]]);
    await expect.poll(() => viewer.evaluate((box) => box.contains(document.activeElement))).toBe(true);
    await admin.keyboard.press("Escape");
    await viewer.waitFor({ state: "detached" });

    // The counselor sends an image back; the preview is the re-encoded copy, read here as sent.
    const consoleSession = await pageSessionId(adminBrowser, admin);
    // The file goes straight to the control its label names (a file chooser's handle to the input
    // would keep the detached chat view, object URLs included, alive for the heap checks below).
    await admin.getByLabel(ct("chat.imageAdd")).setInputFiles({
      name: "guide.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from(guide),
    });
    const preview = await dialogReady(admin, ct("chat.imageSendTitle"));
    await preview.getByText(ct("chat.imageCleaned")).waitFor();
    const encoded = (await liveBlobs(adminBrowser.cdp, consoleSession)).filter(
      (b) => b[0] === 0xff && b[1] === 0xd8 && indexOf(b, EXIF) === -1,
    );
    expect(encoded).toHaveLength(1);
    const sent = encoded[0] ?? new Uint8Array();
    expectClean(sent);
    await preview.getByRole("button", { name: ct("chat.imageSendConfirm") }).click();

    // The survivor sees a thumbnail, opens it larger with the keyboard, and closes it.
    const incoming = frame.getByRole("button", { name: s.imageOpen });
    await incoming.waitFor({ timeout: 120_000 });
    await expect
      .poll(() => incoming.locator("img").evaluate((img) => (img as HTMLImageElement).naturalWidth), {
        timeout: 30_000,
      })
      .toBe(900);
    await incoming.focus();
    await page.keyboard.press("Enter");
    const close = frame.getByRole("button", { name: s.imageClose });
    await expect
      .poll(() => close.evaluate((el) => el === document.activeElement), { timeout: 10_000 })
      .toBe(true);
    expect(await incoming.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("Enter");
    await expect.poll(() => incoming.getAttribute("aria-expanded")).toBe("false");
    await admin
      .locator("li.message.mine .message-meta")
      .filter({ hasText: ct("status.message.delivered") })
      .waitFor({ timeout: 60_000 });

    const consoleUrls = await imgSources(admin, "li.message img");
    const frameUrls = await imgSources(frame, "li.msg img");
    expect(consoleUrls).toHaveLength(2);
    expect(frameUrls).toHaveLength(2);
    return { helpline, admin, adminBrowser, survivor, page, frame, saved, sent, consoleUrls, frameUrls };
  }

  /** No window of either image on the wire (every browser), in the server's logs or database. */
  function expectNowhereInPlaintext(x: Exchanged): void {
    const windows = [...windowsOf(x.saved), ...windowsOf(x.sent)];
    const sentFrames = x.survivor.traffic.framesFrom("iframe").filter((f) => f.direction === "sent");
    expect(sentFrames.length).toBeGreaterThan(x.saved.length / 4096);
    for (const window of windows) {
      for (const b of [x.adminBrowser, x.survivor]) {
        expect(b.traffic.frames.filter((f) => indexOf(f.bytes, window) >= 0)).toEqual([]);
        expect(b.traffic.requests.filter((r) => indexOf(Buffer.from(`${r.body}`), window) >= 0)).toEqual([]);
      }
      expect(x.helpline.logs.filter((line) => indexOf(Buffer.from(line), window) >= 0)).toEqual([]);
      expect(x.helpline.databaseFiles().filter((file) => indexOf(readFileSync(file), window) >= 0)).toEqual(
        [],
      );
    }
  }

  /** Whether a target's heap still refers to any of the URLs or holds any window of the images. */
  async function holds(cdp: ProbedBrowser["cdp"], session: string, urls: readonly string[], x: Exchanged) {
    // One snapshot per look: a snapshot of the console under load takes seconds.
    const snapshot = await heapSnapshot(cdp, session);
    const strings = urls.map((url) => containsCanary(snapshot, url));
    const bytes = await heapHoldsBytes(cdp, session, [...windowsOf(x.saved), ...windowsOf(x.sent)]);
    return { urls: strings, bytes };
  }

  it("End chat: saved without EXIF and audited, both directions shown, then nothing left in frame or console", async () => {
    const x = await exchange();
    expectNowhereInPlaintext(x);

    const frameSession = x.survivor.targets.find("iframe", frameUrlPrefix(x.helpline.origin))[0]?.sessionId;
    expect(frameSession, "the chat frame runs as its own target").toBeDefined();
    const consoleSession = await pageSessionId(x.adminBrowser, x.admin);
    // Controls: while the chat runs, both heaps refer to the object URLs they show.
    expect((await holds(x.survivor.cdp, frameSession ?? "", x.frameUrls, x)).urls).toEqual([true, true]);
    expect((await holds(x.adminBrowser.cdp, consoleSession, x.consoleUrls, x)).urls).toEqual([true, true]);

    await x.frame.getByRole("button", { name: t.endChat }).click();
    await x.frame.getByRole("button", { name: t.endErase }).click();
    await x.frame.getByRole("heading", { name: t.endedTitle }).waitFor({ timeout: 30_000 });
    await x.admin.getByRole("heading", { name: ct("wrapup.title") }).waitFor({ timeout: 30_000 });

    expect(await holds(x.survivor.cdp, frameSession ?? "", x.frameUrls, x)).toEqual({
      urls: [false, false],
      bytes: false,
    });
    expect(await holds(x.adminBrowser.cdp, consoleSession, x.consoleUrls, x)).toEqual({
      urls: [false, false],
      bytes: false,
    });
    // The console's crypto worker opened and sealed every part of both images; it outlives the
    // chat (it serves the console's other chats) and must hold none of their bytes either.
    const consoleWorkers = x.adminBrowser.targets
      .attached()
      .filter((w) => w.type === "worker" && w.parentSessionId === consoleSession);
    expect(consoleWorkers.length, "the console's crypto worker runs").toBeGreaterThan(0);
    const windows = [...windowsOf(x.saved), ...windowsOf(x.sent)];
    for (const worker of consoleWorkers) {
      expect(await heapHoldsBytes(x.adminBrowser.cdp, worker.sessionId, windows)).toBe(false);
    }
  }, 400_000);

  it("Quick exit: nothing of either image left in the console or the partner page", async () => {
    const x = await exchange();
    expectNowhereInPlaintext(x);
    const consoleSession = await pageSessionId(x.adminBrowser, x.admin);
    await x.frame.getByRole("button", { name: t.quickExit }).click();
    await x.page.waitForURL(x.helpline.partner.exitUrl);
    await x.admin.getByRole("heading", { name: ct("wrapup.title") }).waitFor({ timeout: 30_000 });
    expect(await holds(x.adminBrowser.cdp, consoleSession, x.consoleUrls, x)).toEqual({
      urls: [false, false],
      bytes: false,
    });
    const partnerSession = await pageSessionId(x.survivor, x.page);
    expect(await holds(x.survivor.cdp, partnerSession, x.frameUrls, x)).toEqual({
      urls: [false, false],
      bytes: false,
    });
  }, 400_000);
});
