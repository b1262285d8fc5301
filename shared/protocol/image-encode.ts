import { err, ok, type Result } from "../result.ts";
import { IMAGE_MAX_SIDE_PX, MAX_IMAGE_BYTES } from "./limits.ts";

/**
 * Turns a picked file into the image that will be sent (the survivor's frame and the console
 * both use this): decoded by the browser, drawn onto a canvas and encoded again as JPEG. Only
 * pixels survive: EXIF (GPS position, camera, time), XMP and every other block of the original
 * file stay behind. Scaled to IMAGE_MAX_SIDE_PX on the long side, and quality (then size)
 * stepped down until it is at most MAX_IMAGE_BYTES.
 *
 * shared/ compiles without the DOM, so the few browser APIs it needs are declared here by
 * shape and passed in (`globalThis` in a window or a worker).
 */
export type DecodedImage = Readonly<{ width: number; height: number; close: () => void }>;

type Drawing = {
  fillStyle: unknown;
  fillRect: (x: number, y: number, width: number, height: number) => void;
  // biome-ignore lint/suspicious/noExplicitAny: the DOM's CanvasImageSource, which shared/ cannot name
  drawImage: (image: any, x: number, y: number, width: number, height: number) => void;
};

type Canvas<Encoded> = {
  width: number;
  height: number;
  getContext: (kind: "2d") => Drawing | null;
  convertToBlob: (options: { type: string; quality: number }) => Promise<Encoded>;
};

export type ImagePlatform<Source, Encoded extends { readonly size: number }> = Readonly<{
  createImageBitmap: (source: Source, options: { imageOrientation: "from-image" }) => Promise<DecodedImage>;
  OffscreenCanvas: new (width: number, height: number) => Canvas<Encoded>;
}>;

export type EncodedImage<Encoded> = Readonly<{
  blob: Encoded;
  mime: "image/jpeg";
  width: number;
  height: number;
}>;
export type EncodeError = "unsupported" | "too-large";

const QUALITIES = [0.85, 0.7, 0.55] as const;
const SHRINK = 0.7;

export async function encodeImage<Source, Encoded extends { readonly size: number }>(
  file: Source,
  platform: ImagePlatform<Source, Encoded>,
): Promise<Result<EncodedImage<Encoded>, EncodeError>> {
  let bitmap: DecodedImage;
  try {
    // "from-image": a phone photo stored sideways is drawn upright before its EXIF goes.
    bitmap = await platform.createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return err("unsupported");
  }
  try {
    const scale = Math.min(1, IMAGE_MAX_SIDE_PX / Math.max(bitmap.width, bitmap.height));
    let width = Math.max(1, Math.round(bitmap.width * scale));
    let height = Math.max(1, Math.round(bitmap.height * scale));
    for (let attempt = 0; attempt < 6; attempt++) {
      const canvas = new platform.OffscreenCanvas(width, height);
      const context = canvas.getContext("2d");
      if (context === null) return err("unsupported");
      // JPEG has no transparency: a white ground, not black, under transparent screenshots.
      context.fillStyle = "#fff";
      context.fillRect(0, 0, width, height);
      context.drawImage(bitmap, 0, 0, width, height);
      for (const quality of QUALITIES) {
        const blob = await canvas.convertToBlob({ type: "image/jpeg", quality });
        if (blob.size <= MAX_IMAGE_BYTES) {
          releaseCanvas(canvas);
          return ok({ blob, mime: "image/jpeg", width, height });
        }
      }
      releaseCanvas(canvas);
      width = Math.max(1, Math.round(width * SHRINK));
      height = Math.max(1, Math.round(height * SHRINK));
    }
    return err("too-large");
  } finally {
    bitmap.close();
  }
}

/** A zero-size canvas lets the browser free its pixel buffer now, not at the next collection. */
function releaseCanvas(canvas: { width: number; height: number }): void {
  canvas.width = 0;
  canvas.height = 0;
}
