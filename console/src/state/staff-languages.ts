import { LANGUAGES, type Language } from "../../../shared/protocol/index.ts";

/** The languages a staff member counsels in; null (the default) is every language. */
export const effectiveLanguages = (languages: readonly Language[] | null): readonly Language[] =>
  languages ?? LANGUAGES;

/**
 * The admin ticked or unticked `language`. Null when every language is ticked (the default, so a
 * language added later reaches them too); unchanged when it would leave none (a counselor with
 * no language would never be offered a chat).
 */
export function toggleLanguage(
  languages: readonly Language[] | null,
  language: Language,
): readonly Language[] | null {
  const current = effectiveLanguages(languages);
  const next = current.includes(language)
    ? current.filter((l) => l !== language)
    : LANGUAGES.filter((l) => l === language || current.includes(l));
  if (next.length === 0) return languages;
  return next.length === LANGUAGES.length ? null : next;
}

export type LanguageWait = Readonly<{
  language: Language;
  waiting: number;
  longestSeconds: number;
  /** Available counselors who speak it (with or without room). */
  available: number;
}>;

/**
 * Waits per language for supervisors: a chat waits for a counselor who speaks its language, so
 * a queue in one language can grow while counselors in another sit idle.
 */
export function waitsByLanguage(
  queue: readonly Readonly<{ language: Language; waitingSeconds: number }>[],
  counselors: readonly Readonly<{ status: string; languages: readonly Language[] }>[],
): readonly LanguageWait[] {
  return LANGUAGES.map((language) => {
    const waits = queue.filter((e) => e.language === language).map((e) => e.waitingSeconds);
    return {
      language,
      waiting: waits.length,
      longestSeconds: waits.length === 0 ? 0 : Math.max(...waits),
      available: counselors.filter((c) => c.status === "available" && c.languages.includes(language)).length,
    };
  });
}
