import { afterEach, describe, expect, it } from "vitest";
import { createImageReceiver, type ReceiverEvent } from "../../shared/protocol/image-transfer.ts";
import { IMAGE_MAX_SIDE_PX, MAX_IMAGE_BYTES } from "../../shared/protocol/limits.ts";
import { describeSurvivor, openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { IMAGE_STRINGS } from "../../widget/frame/i18n/image-strings.ts";
import { catalogue } from "../support/browser-widget.ts";
import { GPS_PATTERN, indexOf, withExifGps } from "../support/exif-jpeg.ts";
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
    const plain = Uint8Array.from(
      await page.evaluate(async () => {
        const canvas = document.createElement("canvas");
        canvas.width = 2600;
        canvas.height = 1200;
        const context = canvas.getContext("2d");
        if (!context) throw new Error("no 2d context");
        for (let x = 0; x < 2600; x += 100)
          for (let y = 0; y < 1200; y += 100) {
            context.fillStyle = `rgb(${(x * 7) % 256}, ${(y * 13) % 256}, ${((x + y) * 3) % 256})`;
            context.fillRect(x, y, 100, 100);
          }
        const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
        if (!blob) throw new Error("no JPEG");
        return [...new Uint8Array(await blob.arrayBuffer())];
      }),
    );
    const original = withExifGps(plain);
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
    const windows = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => {
      const at = Math.floor(received.length * f);
      return received.slice(at, at + 24);
    });
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
