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

/** Inserts at the caret (or appends), keeping a blank-free join with what was already typed. */
export function insertText(
  current: string,
  caret: number | null,
  text: string,
): Readonly<{ value: string; caret: number }> {
  const at = caret === null ? current.length : Math.min(Math.max(caret, 0), current.length);
  const before = current.slice(0, at);
  const after = current.slice(at);
  const sep = before === "" || /\s$/.test(before) ? "" : " ";
  const value = `${before}${sep}${text}${after}`;
  return { value, caret: before.length + sep.length + text.length };
}
