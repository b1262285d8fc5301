import type { Catalogue, MessageKey } from "./en.ts";

/**
 * `t("queue.waiting", { count: 3 })`: looks the key up and fills `{name}` placeholders. Keys are
 * typed from the English catalogue, and every other catalogue must have each of them, so a
 * missing or misspelt key is a compile error, not a blank on a counselor's screen.
 */
export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(catalogue: Catalogue): Translate {
  return (key, params) => {
    // A key the server sent (a category added later) may be missing: show it rather than nothing.
    const text: string = catalogue[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
  };
}

export const UI_LANGUAGES = ["en", "ur"] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export function direction(language: UiLanguage): "ltr" | "rtl" {
  return language === "ur" ? "rtl" : "ltr";
}
