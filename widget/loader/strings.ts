import type { Language } from "../../shared/protocol/envelopes.ts";

/** The loader's few words (the frame has its own catalogues); typed so a missing key fails to compile. */
export type LoaderStrings = Readonly<{ launcher: string; frameTitle: string }>;

export const LOADER_STRINGS: Readonly<Record<Language, LoaderStrings>> = {
  en: { launcher: "Talk to someone", frameTitle: "Confidential chat with a counselor" },
  ur: { launcher: "کسی سے بات کریں", frameTitle: "کاؤنسلر کے ساتھ رازدارانہ چیٹ" },
};
