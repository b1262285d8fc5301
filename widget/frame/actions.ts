import type { Language } from "../../shared/protocol/envelopes.ts";
import type { ForWhom } from "./state/types.ts";

/** A picked image after re-encoding (no metadata), shown for the survivor to confirm. */
export type PreparedImage = Readonly<{ url: string; blob: Blob; width: number; height: number }>;
export type ImageError = "unsupported" | "too-large" | "too-many" | "too-fast";

/** What the view may ask for. The controller implements it; DOM tests pass spies. */
export type Actions = Readonly<{
  chooseLanguage: (language: Language) => void;
  chooseForWhom: (value: ForWhom | null) => void;
  start: () => void;
  send: (body: string) => void;
  /** Decodes and re-encodes a picked file; nothing is sent yet. */
  prepareImage: (file: Blob) => Promise<PreparedImage | ImageError>;
  /** Sends a prepared image; null once it is on its way. */
  sendImage: (image: PreparedImage) => Promise<ImageError | null>;
  /** Cancel on the preview: the prepared image is dropped. */
  discardImage: (image: PreparedImage) => void;
  typing: (active: boolean) => void;
  endChat: () => void;
  quickExit: () => void;
  restart: () => void;
  hide: () => void;
  activity: () => void;
}>;
