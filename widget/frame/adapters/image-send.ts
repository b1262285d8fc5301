import { encodeImage as encodeWith } from "../../../shared/protocol/image-encode.ts";

/**
 * What sending and receiving an image needs, loaded only when the survivor first picks one or
 * the counselor first sends one (dynamic import): the frame's first load stays within its size
 * budget (scripts/size.ts).
 */
export { createImagePacer, createImageQuota } from "../../../shared/protocol/image-pacer.ts";
export { createImageReceiver, splitImage } from "../../../shared/protocol/image-transfer.ts";

export const encodeImage = (file: Blob) => encodeWith(file, globalThis);
