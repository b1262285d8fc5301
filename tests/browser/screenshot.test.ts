import { afterEach, describe, expect, it } from "vitest";
import { createImageReceiver, type ReceiverEvent } from "../../shared/protocol/image-transfer.ts";
import { IMAGE_MAX_SIDE_PX, MAX_IMAGE_BYTES } from "../../shared/protocol/limits.ts";
import { describeSurvivor, openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { IMAGE_STRINGS } from "../../widget/frame/i18n/image-strings.ts";
import { catalogue } from "../support/browser-widget.ts";
import { GPS_PATTERN, indexOf } from "../support/exif-jpeg.ts";
import { photoWithGps, windowsOf } from "../support/browser-images.ts";
import { needService } from "../support/services.ts";

/**
 * Issue 13: a survivor sends a screenshot that carries EXIF GPS data. The frame re-encodes it
 * (the preview says the details are gone), the counselor (scripted over the real relay and crypto)
 * receives a JPEG without any EXIF block or GPS bytes, and no window of the image's bytes appears
 * in any WebSocket frame or request of the survivor's browser.
 */
const run = await needService("chromium");

const EXIF = new TextEncoder().encode("Exif\0\0");

describe.runIf(run)("screenshots", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("an EXIF-GPS JPEG arrives re-encoded, without metadata, and never in plaintext on the wire", async () => {
    scenario = await startScenario();
    const { page, survivor } = scenario;
    const t = catalogue("en");
    const s = IMAGE_STRINGS.en;
    const { frame, chat } = await openChat(scenario);

    // A 2600×1200 photo-like JPEG drawn in the partner page, then given a GPS position by hand.
    const original = await photoWithGps(page, 2600, 1200);
    expect(indexOf(original, GPS_PATTERN)).toBeGreaterThan(0);
    expect(indexOf(original, EXIF)).toBeGreaterThan(0);

    // The survivor clicks "Add a screenshot" and picks the file in the chooser.
    const chooser = page.waitForEvent("filechooser", { timeout: 30_000 });
    await frame.getByText(s.addImage).click();
    await (await chooser).setFiles({
      name: "screenshot.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from(original),
    });
    await frame.getByText(s.imageCleaned).waitFor({ timeout: 60_000 });
    await frame.getByRole("button", { name: s.imageSend }).click();

    // The counselor's side gets the header and every chunk; put them together as a console would.
    await expect
      .poll(
        () => {
          const header = chat.received.find((p) => p.type === "image");
          const chunks = chat.received.filter((p) => p.type === "image-chunk").length;
          return header?.type === "image" && chunks === header.chunks;
        },
        { timeout: 120_000, message: await describeSurvivor(scenario) },
      )
      .toBe(true);
    const receiver = createImageReceiver();
    const events: ReceiverEvent[] = [];
    for (const payload of chat.received)
      if (payload.type === "image" || payload.type === "image-chunk")
        events.push(...receiver.accept(payload, 0));
    const done = events.find((e) => e.type === "complete");
    if (done?.type !== "complete") throw new Error(`no complete image: ${JSON.stringify(events)}`);
    const received = done.image.bytes;

    expect(done.image.mime).toBe("image/jpeg");
    expect(Math.max(done.image.width, done.image.height)).toBe(IMAGE_MAX_SIDE_PX);
    expect(received.length).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
    expect([received[0], received[1]]).toEqual([0xff, 0xd8]);
    expect(indexOf(received, EXIF)).toBe(-1);
    expect(indexOf(received, GPS_PATTERN)).toBe(-1);
    // No APP1 segment at all (EXIF or XMP) in the received JPEG's header segments.
    expect(indexOf(received.subarray(0, 64), Uint8Array.from([0xff, 0xe1]))).toBe(-1);

    // The survivor sees the image sent, and then delivered.
    await frame.getByRole("img", { name: t.imageAlt }).waitFor({ timeout: 30_000 });
    await frame.getByText(t.messageState.delivered).waitFor({ timeout: 60_000 });

    // No 24-byte window of the sent image appears in any frame or request of the survivor's browser.
    const windows = windowsOf(received);
    expect(
      survivor.traffic.framesFrom("iframe").filter((f) => f.direction === "sent").length,
    ).toBeGreaterThan(done.image.bytes.length / 4096);
    for (const window of windows) {
      expect(survivor.traffic.frames.filter((f) => indexOf(f.bytes, window) >= 0)).toEqual([]);
      expect(
        survivor.traffic.requests.filter((r) => indexOf(new TextEncoder().encode(`${r.body}`), window) >= 0),
      ).toEqual([]);
    }
  });
});
