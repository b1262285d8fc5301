/**
 * What sending an image needs, loaded only when the survivor first picks one (dynamic import):
 * the frame's first load stays within its size budget (scripts/size.ts).
 */
export { createImagePacer, createImageQuota } from "../../../shared/protocol/image-pacer.ts";
export { splitImage } from "../../../shared/protocol/image-transfer.ts";
export { encodeImage } from "./image-encode.ts";
