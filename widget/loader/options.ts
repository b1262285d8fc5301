import type { Language } from "../../shared/protocol/envelopes.ts";
import type { PartnerId } from "../../shared/protocol/ids.ts";
import { LANGUAGES } from "../../shared/protocol/limits.ts";
import { DEFAULT_EXIT_URL, safeExitUrl } from "../control/exit-url.ts";
import { isPartnerId } from "../control/partner-id.ts";

/** What the partner configured on the script tag, validated. */
export type LoaderOptions = Readonly<{
  partner: PartnerId;
  language: Language | undefined;
  side: "left" | "right";
  accent: string;
  exitUrl: string;
  /** Where the chat frame lives: the helpline origin the script itself came from. */
  frameUrl: string;
}>;

export const DEFAULT_ACCENT = "#5b2a86";
const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

export type OptionsError = "no-script" | "bad-partner";

/**
 * Reads the loader's own `<script>` tag. Only data attributes are read; the page's URL, title
 * and referrer are never touched (they would tell the helpline, or anyone watching its traffic,
 * which page the survivor was on).
 */
export function readOptions(script: HTMLScriptElement | null): LoaderOptions | OptionsError {
  if (!script?.src) return "no-script";
  const partner = script.dataset.partner;
  if (!isPartnerId(partner)) return "bad-partner";
  const language = (LANGUAGES as readonly string[]).includes(script.dataset.language ?? "")
    ? (script.dataset.language as Language)
    : undefined;
  const accent = script.dataset.accent ?? "";
  return {
    partner,
    language,
    side: script.dataset.position === "bottom-left" ? "left" : "right",
    accent: HEX_COLOUR.test(accent) ? accent : DEFAULT_ACCENT,
    exitUrl: safeExitUrl(script.dataset.exitUrl) ?? DEFAULT_EXIT_URL,
    // The partner id (public, the same for every visitor) lets the helpline allow only this
    // partner's origins to frame the chat; nothing about the survivor goes in the URL.
    frameUrl: new URL(`/frame/?partner=${partner}`, script.src).href,
  };
}
