import type { Language } from "../../../shared/protocol/envelopes.ts";
import { en } from "./en.ts";
import { ur } from "./ur.ts";

/** Every catalogue has exactly the English keys, with the same kinds of values. */
export type Catalogue = typeof en;

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, ur };

/** Direction and language attributes for the frame's root. */
export const DIRECTION: Readonly<Record<Language, "ltr" | "rtl">> = { en: "ltr", ur: "rtl" };

/** Language names are shown in their own language, so anyone can find theirs. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: "English", ur: "اردو" };
