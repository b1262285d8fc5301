import { IMAGE_MAX_SIDE_PX, MAX_IMAGE_BYTES } from "../../../shared/protocol/limits.ts";

/**
 * Turns a picked file into the image that will be sent: decoded by the browser, drawn onto a
 * canvas and encoded again as JPEG. Only pixels survive: EXIF (GPS position, camera, time), XMP
 * and every other block of the original file stay behind. Scaled to IMAGE_MAX_SIDE_PX on the
 * long side, and quality (then size) stepped down until it is at most MAX_IMAGE_BYTES.
 */
export type EncodedImage = Readonly<{ blob: Blob; mime: "image/jpeg"; width: number; height: number }>;
export type EncodeError = "unsupported" | "too-large";

const QUALITIES = [0.85, 0.7, 0.55] as const;
const SHRINK = 0.7;

export async function encodeImage(
  file: Blob,
): Promise<{ ok: true; value: EncodedImage } | { ok: false; error: EncodeError }> {
  let bitmap: ImageBitmap;
  try {
    // "from-image": a phone photo stored sideways is drawn upright before its EXIF goes.
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return { ok: false, error: "unsupported" };
  }
  try {
    const scale = Math.min(1, IMAGE_MAX_SIDE_PX / Math.max(bitmap.width, bitmap.height));
    let width = Math.max(1, Math.round(bitmap.width * scale));
    let height = Math.max(1, Math.round(bitmap.height * scale));
    for (let attempt = 0; attempt < 6; attempt++) {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext("2d");
      if (context === null) return { ok: false, error: "unsupported" };
      // JPEG has no transparency: a white ground, not black, under transparent screenshots.
      context.fillStyle = "#fff";
      context.fillRect(0, 0, width, height);
      context.drawImage(bitmap, 0, 0, width, height);
      for (const quality of QUALITIES) {
        const blob = await canvas.convertToBlob({ type: "image/jpeg", quality });
        if (blob.size <= MAX_IMAGE_BYTES) {
          releaseCanvas(canvas);
          return { ok: true, value: { blob, mime: "image/jpeg", width, height } };
        }
      }
      releaseCanvas(canvas);
      width = Math.max(1, Math.round(width * SHRINK));
      height = Math.max(1, Math.round(height * SHRINK));
    }
    return { ok: false, error: "too-large" };
  } finally {
    bitmap.close();
  }
}

/** A zero-size canvas lets the browser free its pixel buffer now, not at the next collection. */
function releaseCanvas(canvas: OffscreenCanvas): void {
  canvas.width = 0;
  canvas.height = 0;
}
