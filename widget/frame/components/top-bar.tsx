import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { Actions } from "../actions.ts";
import { type Catalogue, LANGUAGE_NAMES } from "../i18n/catalogue.ts";

type Props = Readonly<{ t: Catalogue; language: Language; languages: readonly Language[]; actions: Actions }>;

/** Always on screen: brand, hide, the Quick exit button and (on its own row) the language switch. */
export function TopBar({ t, language, languages, actions }: Props) {
  return (
    <header class="bar">
      <span class="brand">{t.appName}</span>
      <button type="button" class="hide" onClick={actions.hide}>
        {t.hide}
      </button>
      {/* Always the last control of the first row: the inline end (right in English, left in Urdu). */}
      <button
        type="button"
        class="quick-exit"
        onClick={actions.quickExit}
        aria-describedby="sahara-quick-exit-hint"
      >
        {t.quickExit}
      </button>
      <span id="sahara-quick-exit-hint" class="visually-hidden">
        {t.quickExitHint}
      </span>
      {languages.length > 1 && (
        <span class="lang">
          <label for="sahara-language">{t.language}</label>
          <select
            id="sahara-language"
            value={language}
            onChange={(event) => actions.chooseLanguage(event.currentTarget.value as Language)}
          >
            {languages.map((code) => (
              <option key={code} value={code} lang={code}>
                {LANGUAGE_NAMES[code]}
              </option>
            ))}
          </select>
        </span>
      )}
    </header>
  );
}
