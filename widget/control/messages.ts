import type { Language } from "../../shared/protocol/envelopes.ts";
import type { PartnerId } from "../../shared/protocol/ids.ts";
import { LANGUAGES } from "../../shared/protocol/limits.ts";
import { isPartnerId } from "./partner-id.ts";

/**
 * The only messages that cross between the partner page (loader) and the chat frame. They are
 * control signals: never chat text, keys, session ids or anything the survivor typed, because
 * every script on the partner page (analytics, session replay, a compromised partner) could
 * read them. Every message carries `sahara: 1` so unrelated postMessage traffic is ignored;
 * receivers check the source window before parsing.
 *
 * Parsed by hand rather than with valibot: the loader has a 5 KB budget and valibot alone would
 * take most of it. Each parser rebuilds the message from checked fields, so extra properties
 * (or getters) on the received object never travel further.
 */
export const CONTROL_MARK = 1;
const MAX_URL_CHARS = 2048;

/** Loader -> frame. */
export type ToFrame =
  /** Sent once after the frame loads: the frame cannot read URL parameters (nothing is in URLs). */
  | Readonly<{ sahara: 1; type: "init"; partner: PartnerId; language?: Language }>
  /** Shift pressed three times on the partner page: wipe now and tell the counselor. */
  | Readonly<{ sahara: 1; type: "quick-exit" }>
  /**
   * The panel was shown or hidden (launcher, close button): a message counts as read only while
   * the survivor can see it, so the frame holds read receipts while hidden.
   */
  | Readonly<{ sahara: 1; type: "shown"; shown: boolean }>;

/** Frame -> loader. */
export type ToLoader =
  /** The frame has its configuration; `exitUrl` is the partner's neutral page (the loader checks it). */
  | Readonly<{ sahara: 1; type: "ready"; exitUrl?: string }>
  /**
   * Hide the panel (a running chat keeps running; the launcher opens it again). `drop`: nothing
   * runs in the frame (no chat, no queue), so the loader removes it instead: a frame still on the
   * page when the browser closes is kept in the browser's record of the closed window.
   */
  | Readonly<{ sahara: 1; type: "close"; drop?: true }>
  | Readonly<{ sahara: 1; type: "resize"; size: "panel" | "full" }>
  /** Quick exit started in the frame: blank the page now; leave on `left` (or after a short wait). */
  | Readonly<{ sahara: 1; type: "quick-exit"; exitUrl?: string }>
  /** The frame has told the counselor and wiped itself: leave now. */
  | Readonly<{ sahara: 1; type: "left" }>
  /**
   * While hidden, the counselor wrote (or joined): mark the launcher. No count, no text, no
   * time: a partner script learns only that something arrived, which the marker shows anyway.
   */
  | Readonly<{ sahara: 1; type: "unread" }>
  /**
   * The frame has painted (its first paint, or the app): the loader shows it over its shell.
   * Bare, sent before `init`.
   */
  | Readonly<{ sahara: 1; type: "painted" }>;

type Fields = Readonly<Record<string, unknown>>;

function fields(data: unknown): Fields | null {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  const record = data as Fields;
  return record.sahara === CONTROL_MARK ? record : null;
}

const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);
const isUrl = (value: unknown): value is string => typeof value === "string" && value.length <= MAX_URL_CHARS;

function safely<T>(parse: () => T | null): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

export function parseToFrame(data: unknown): ToFrame | null {
  return safely(() => {
    const m = fields(data);
    if (m?.type === "quick-exit") return { sahara: CONTROL_MARK, type: "quick-exit" };
    if (m?.type === "shown")
      return typeof m.shown === "boolean" ? { sahara: CONTROL_MARK, type: "shown", shown: m.shown } : null;
    if (m?.type !== "init" || !isPartnerId(m.partner)) return null;
    if (m.language === undefined) return { sahara: CONTROL_MARK, type: "init", partner: m.partner };
    return isLanguage(m.language)
      ? { sahara: CONTROL_MARK, type: "init", partner: m.partner, language: m.language }
      : null;
  });
}

export function parseToLoader(data: unknown): ToLoader | null {
  return safely(() => {
    const m = fields(data);
    switch (m?.type) {
      case "close":
        return m.drop === true
          ? { sahara: CONTROL_MARK, type: "close", drop: true }
          : { sahara: CONTROL_MARK, type: "close" };
      case "left":
      case "unread":
      case "painted":
        return { sahara: CONTROL_MARK, type: m.type };
      case "resize":
        return m.size === "panel" || m.size === "full"
          ? { sahara: CONTROL_MARK, type: "resize", size: m.size }
          : null;
      case "ready":
      case "quick-exit":
        if (m.exitUrl === undefined) return { sahara: CONTROL_MARK, type: m.type };
        return isUrl(m.exitUrl) ? { sahara: CONTROL_MARK, type: m.type, exitUrl: m.exitUrl } : null;
      default:
        return null;
    }
  });
}
