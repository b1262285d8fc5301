import type { Canned, Referral } from "../../../shared/protocol/http/index.ts";
import type { Language } from "../../../shared/protocol/index.ts";

/** Case- and accent-insensitive matching for the canned-response and referral pickers. */
function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function matches(query: string, fields: readonly string[]): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const haystack = fold(fields.join(" "));
  return words.every((w) => haystack.includes(w));
}

/** Responses in the chat's language first, then the rest; title matches before body matches. */
export function searchCanned(items: readonly Canned[], language: Language, query: string): readonly Canned[] {
  const hits = items.filter((c) => matches(query, [c.title, c.body, ...c.tags]));
  const rank = (c: Canned) => (c.language === language ? 0 : 2) + (matches(query, [c.title]) ? 0 : 1);
  return [...hits].sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));
}

export function searchReferrals(
  items: readonly Referral[],
  language: Language,
  query: string,
): readonly Referral[] {
  const hits = items.filter((r) => matches(query, [r.name, r.description, r.contact]));
  const rank = (r: Referral) => (r.language === language ? 0 : 1);
  return [...hits].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The text a referral inserts into the composer: what they do, how to reach them, what to bring. */
export function referralText(r: Referral, labels: Readonly<{ contact: string; prepare: string }>): string {
  return [
    r.name,
    r.description,
    `${labels.contact}: ${r.contact}`,
    r.howToPrepare ? `${labels.prepare}: ${r.howToPrepare}` : "",
  ]
    .filter((line) => line.trim() !== "")
    .join("\n");
}

/**
 * Inserts a canned response or referral at the caret (or appends). Each is a paragraph of its
 * own: a blank line separates it from text before and after it, so a second insert never runs
 * into the first. The caret lands after the inserted text.
 */
export function insertText(
  current: string,
  caret: number | null,
  text: string,
): Readonly<{ value: string; caret: number }> {
  const at = caret === null ? current.length : Math.min(Math.max(caret, 0), current.length);
  const before = current.slice(0, at).replace(/[ \t]+$/, "");
  const after = current.slice(at).replace(/^[ \t]+/, "");
  const lead = before === "" ? "" : "\n".repeat(Math.max(0, 2 - trailingNewlines(before)));
  const trail = after === "" ? "" : "\n".repeat(Math.max(0, 2 - leadingNewlines(after)));
  const value = `${before}${lead}${text}${trail}${after}`;
  return { value, caret: before.length + lead.length + text.length };
}

const trailingNewlines = (s: string) => /\n*$/.exec(s)?.[0].length ?? 0;
const leadingNewlines = (s: string) => /^\n*/.exec(s)?.[0].length ?? 0;
