import type { FileChooser, Page } from "playwright-core";
import type { CdpConnection } from "./browser-cdp.ts";
import { withExifGps } from "./exif-jpeg.ts";

/**
 * Images for the screenshot tests: a photo-like JPEG drawn by Chromium's own encoder (squares of
 * a fixed colour pattern, the canary pixels) and given an EXIF GPS block by hand; and the bytes
 * of Blobs a page holds, read through DevTools (the pages' CSP forbids fetching blob: URLs).
 */
export async function photoWithGps(page: Page, width: number, height: number): Promise<Uint8Array> {
  return withExifGps(await drawnJpeg(page, width, height, false));
}

/** A photo-like JPEG of fine noise: at 2048 px its re-encoding comes close to the 1 MiB cap. */
export function noisyJpeg(page: Page, width: number, height: number): Promise<Uint8Array> {
  return drawnJpeg(page, width, height, true);
}

async function drawnJpeg(page: Page, width: number, height: number, noise: boolean): Promise<Uint8Array> {
  return Uint8Array.from(
    await page.evaluate(
      async ([w, h, grain]) => {
        const canvas = document.createElement("canvas");
        canvas.width = w;
        canvas.height = h;
        const context = canvas.getContext("2d");
        if (!context) throw new Error("no 2d context");
        if (grain) {
          const pixels = context.createImageData(w, h);
          let seed = 7;
          for (let i = 0; i < pixels.data.length; i += 4) {
            seed = (seed * 1103515245 + 12345) & 0x7fffffff;
            pixels.data[i] = (((i / 4) % w) + (seed & 63)) & 255;
            pixels.data[i + 1] = ((seed >> 8) & 127) + 64;
            pixels.data[i + 2] = (seed >> 16) & 255;
            pixels.data[i + 3] = 255;
          }
          context.putImageData(pixels, 0, 0);
        } else {
          for (let x = 0; x < w; x += 100)
            for (let y = 0; y < h; y += 100) {
              context.fillStyle = `rgb(${(x * 7) % 256}, ${(y * 13) % 256}, ${((x + y) * 3) % 256})`;
              context.fillRect(x, y, 100, 100);
            }
        }
        const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
        if (!blob) throw new Error("no JPEG");
        return [...new Uint8Array(await blob.arrayBuffer())];
      },
      [width, height, noise] as const,
    ),
  );
}

/**
 * Gives the chooser its file, then lets go of the chooser's handle to the input (a handle keeps
 * the element, and the chat view around it, alive for the heap checks).
 */
export async function chooseFile(
  chooser: Promise<FileChooser>,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  const picked = await chooser;
  await picked.setFiles({ name, mimeType: "image/jpeg", buffer: Buffer.from(bytes) });
  await picked.element().dispose();
}

/** The bytes of every Blob (not File) alive in a target's heap. */
export async function liveBlobs(cdp: CdpConnection, sessionId: string): Promise<Uint8Array[]> {
  const group = "sahara-blobs";
  const proto = await cdp.send(
    "Runtime.evaluate",
    { expression: "Blob.prototype", objectGroup: group },
    sessionId,
  );
  const list = await cdp.send(
    "Runtime.queryObjects",
    { prototypeObjectId: (proto.result as { objectId: string }).objectId, objectGroup: group },
    sessionId,
  );
  const props = await cdp.send(
    "Runtime.getProperties",
    { objectId: (list.objects as { objectId: string }).objectId, ownProperties: true },
    sessionId,
  );
  const blobs: Uint8Array[] = [];
  for (const prop of props.result as { name: string; value?: { objectId?: string; className?: string } }[]) {
    // Files (the picked originals) are left out: DevTools resolves plain Blobs only.
    if (!/^\d+$/.test(prop.name) || !prop.value?.objectId || prop.value.className !== "Blob") continue;
    const { uuid } = await cdp.send("IO.resolveBlob", { objectId: prop.value.objectId }, sessionId);
    const handle = `blob:${String(uuid)}`;
    const parts: Buffer[] = [];
    for (;;) {
      const read = await cdp.send("IO.read", { handle, size: 1 << 20 }, sessionId);
      parts.push(Buffer.from(String(read.data), read.base64Encoded ? "base64" : "utf8"));
      if (read.eof) break;
    }
    await cdp.send("IO.close", { handle }, sessionId);
    blobs.push(Uint8Array.from(Buffer.concat(parts)));
  }
  await cdp.send("Runtime.releaseObjectGroup", { objectGroup: group }, sessionId);
  return blobs;
}

/** Byte windows spread over an image: a copy of the image anywhere contains them. */
export function windowsOf(bytes: Uint8Array, size = 24): Uint8Array[] {
  return [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => {
    const at = Math.floor(bytes.length * f);
    return bytes.slice(at, at + size);
  });
}
