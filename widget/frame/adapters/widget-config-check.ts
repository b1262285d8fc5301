import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";
import { LANGUAGES } from "../../../shared/protocol/limits.ts";

/**
 * `WidgetConfigSchema` (shared/protocol/http/widget-config.ts) written out by hand, so that the
 * frame's entry, which must check the configuration before the start screen, carries no
 * valibot (≈ 5 KB brotli that the relay client and the crypto worker fetch later anyway).
 * Same answer as `parse(WidgetConfigSchema, value)` for every input — the same value (holiday
 * labels trimmed, extra days of the week dropped) or null; `tests/property/widget-config-check.test.ts`
 * compares the two on generated and mutated configurations, so a change to the schema that is
 * not made here fails that test.
 */
type Record_ = Readonly<Record<string, unknown>>;

const CLOCK_TIME = /^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
const TIME_ZONE = /^[A-Za-z0-9_+\-/]+$/;
const EXIT_URL = /^https?:\/\/[^\s"'<>]+$/;
// valibot's `isoDate()`.
const ISO_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:[12]\d|0[1-9]|3[01])$/u;
const CONFIG_KEYS = [
  "open",
  "languages",
  "defaultLanguage",
  "exitUrl",
  "timeZone",
  "hours",
  "holidays",
  "nextOpening",
  "resources",
] as const;

class Invalid extends Error {}

function fail(): never {
  throw new Invalid();
}

/** An object with exactly these keys (valibot's `strictObject`: own or inherited, none missing). */
function strict(value: unknown, keys: readonly string[]): Record_ {
  if (!value || typeof value !== "object") fail();
  for (const key of keys) if (!(key in value)) fail();
  for (const key in value) if (!keys.includes(key)) fail();
  return value as Record_;
}

function string(value: unknown): string {
  return typeof value === "string" ? value : fail();
}

function array(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : fail();
}

function language(value: unknown): Language {
  return LANGUAGES.find((code) => code === value) ?? fail();
}

function exitUrl(value: unknown): string {
  const url = string(value);
  if (url.length > 500 || !canParseUrl(url) || !EXIT_URL.test(url)) fail();
  return url;
}

function canParseUrl(url: string): boolean {
  try {
    if (URL.canParse) return URL.canParse(url);
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

function clockTime(value: unknown): string {
  const time = string(value);
  return CLOCK_TIME.test(time) ? time : fail();
}

function day(value: unknown): WidgetConfig["hours"][number] {
  const ranges = array(value).map((item) => {
    const range = strict(item, ["open", "close"]);
    const open = clockTime(range.open);
    const close = clockTime(range.close);
    if (!(open < close)) fail();
    return { open, close };
  });
  return ranges.length > 8 ? fail() : ranges;
}

function check(value: unknown): WidgetConfig {
  const config = strict(value, CONFIG_KEYS);
  if (typeof config.open !== "boolean") fail();
  const timeZone = string(config.timeZone);
  if (timeZone.length < 1 || timeZone.length > 64 || !TIME_ZONE.test(timeZone)) fail();
  const week = array(config.hours);
  const hours = [0, 1, 2, 3, 4, 5, 6].map((index) => day(week[index])) as unknown as WidgetConfig["hours"];
  const nextOpening = config.nextOpening;
  if (
    nextOpening !== null &&
    (typeof nextOpening !== "number" || !Number.isInteger(nextOpening) || nextOpening < 0)
  )
    fail();
  return {
    open: config.open,
    languages: array(config.languages).map(language),
    defaultLanguage: language(config.defaultLanguage),
    exitUrl: exitUrl(config.exitUrl),
    timeZone,
    hours,
    holidays: array(config.holidays).map((item) => {
      const holiday = strict(item, ["date", "label"]);
      const date = string(holiday.date);
      if (!ISO_DATE.test(date)) fail();
      const label = string(holiday.label).trim();
      return label.length > 200 ? fail() : { date, label };
    }),
    nextOpening: nextOpening as number | null,
    resources: array(config.resources).map((item) => {
      const resource = strict(item, ["name", "contact", "language"]);
      return {
        name: string(resource.name),
        contact: string(resource.contact),
        language: language(resource.language),
      };
    }),
  };
}

/** The checked configuration, or null when `value` is not one (never throws). */
export function checkWidgetConfig(value: unknown): WidgetConfig | null {
  try {
    return check(value);
  } catch {
    return null;
  }
}
