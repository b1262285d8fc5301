import type { Language } from "../../shared/protocol/envelopes.ts";

/**
 * The loader's few words (the frame has its own catalogues; the shell's are the same words as
 * the frame's first paint); typed so a missing key fails to compile.
 */
export type LoaderStrings = Readonly<{
  launcher: string;
  frameTitle: string;
  brand: string;
  hide: string;
  quickExit: string;
  opening: string;
}>;

export const LOADER_STRINGS: Readonly<Record<Language, LoaderStrings>> = {
  en: {
    launcher: "Talk to someone",
    frameTitle: "Confidential chat with a counselor",
    brand: "Sahara",
    hide: "Hide chat",
    quickExit: "Quick exit",
    opening: "Opening a private chat…",
  },
  ur: {
    launcher: "کسی سے بات کریں",
    frameTitle: "کاؤنسلر کے ساتھ رازدارانہ چیٹ",
    brand: "سہارا",
    hide: "چیٹ چھپائیں",
    quickExit: "فوری باہر نکلیں",
    opening: "نجی چیٹ کھل رہی ہے…",
  },
};
