import type { UiLanguage } from "../i18n/translate.ts";

/**
 * Dates for people, in the console's language ("4 December 2026", "4 دسمبر 2026"), never as
 * ISO strings. Western digits in Urdu too: the rest of the console writes numbers that way.
 */
const LOCALES: Readonly<Record<UiLanguage, string>> = { en: "en-GB", ur: "ur-PK-u-nu-latn" };

/** A calendar day given as YYYY-MM-DD (a holiday): the same day wherever the browser is. */
export function calendarDate(isoDay: string, language: UiLanguage): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  if (!m) return isoDay;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: "long", timeZone: "UTC" }).format(at);
}

/** A calendar month given as YYYY-MM ("November 2026", "نومبر 2026"). */
export function calendarMonth(isoMonth: string, language: UiLanguage): string {
  const m = /^(\d{4})-(\d{2})$/.exec(isoMonth);
  if (!m) return isoMonth;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
  return new Intl.DateTimeFormat(LOCALES[language], {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(at);
}

/** A moment (a certificate's end) as the day it falls on in the browser's time zone. */
export function localDate(at: number, language: UiLanguage): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: "long" }).format(at);
}
