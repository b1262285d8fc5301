import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { en } from "./en.ts";

/** Every catalogue has exactly the English keys, with the same kinds of values. */
export type Catalogue = typeof en;

/**
 * Each language's words come in a chunk of their own: the page's language is fetched alongside
 * the entry (the frame page's early-fetch script, widget/vite.frame.config.ts, preloads the one
 * `<html lang>` names) and `main.tsx` renders once it is here; another is fetched when the
 * survivor switches to it, and the view stays in the language it has until then (app.tsx).
 */
const IMPORTS: Readonly<Record<Language, () => Promise<Catalogue>>> = {
  en: () => import("./en.ts").then((module) => module.en),
  ur: () => import("./ur.ts").then((module) => module.ur),
};

const loaded: Partial<Record<Language, Catalogue>> = {};
const loading: Partial<Record<Language, Promise<Catalogue>>> = {};

/** The language's catalogue if it has arrived. */
export function loadedCatalogue(language: Language): Catalogue | undefined {
  return loaded[language];
}

/** Fetches the language's catalogue once (again after a failure). */
export function loadCatalogue(language: Language): Promise<Catalogue> {
  const present = loaded[language];
  if (present) return Promise.resolve(present);
  loading[language] ??= IMPORTS[language]().then(
    (catalogue) => {
      loaded[language] = catalogue;
      return catalogue;
    },
    (error: unknown) => {
      delete loading[language];
      throw error;
    },
  );
  return loading[language];
}

/** Direction and language attributes for the frame's root. */
export const DIRECTION: Readonly<Record<Language, "ltr" | "rtl">> = { en: "ltr", ur: "rtl" };

/** Language names are shown in their own language, so anyone can find theirs. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: "English", ur: "اردو" };
