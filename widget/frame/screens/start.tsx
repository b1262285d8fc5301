import type { Actions } from "../actions.ts";
import { Heading } from "../components/heading.tsx";
import type { Catalogue } from "../i18n/catalogue.ts";
import type { ForWhom, StartError } from "../state/types.ts";

type Props = Readonly<{ t: Catalogue; forWhom: ForWhom | null; error: StartError | null; actions: Actions }>;

export function StartScreen({ t, forWhom, error, actions }: Props) {
  const option = (value: ForWhom, label: string) => (
    <label class="choice">
      <input
        type="radio"
        name="sahara-for-whom"
        value={value}
        checked={forWhom === value}
        onChange={() => actions.chooseForWhom(value)}
      />
      {label}
    </label>
  );
  return (
    <section class="screen start" aria-labelledby="sahara-heading">
      <Heading>{t.startTitle}</Heading>
      <p>{t.startIntro}</p>
      {error && (
        <p class="error" role="alert">
          {t.startError[error]}
        </p>
      )}
      <fieldset>
        <legend>{t.forWhomLegend}</legend>
        {option("self", t.forWhomSelf)}
        {option("someone-else", t.forWhomOther)}
      </fieldset>
      <h2>{t.privacyTitle}</h2>
      <p>{t.privacyNote}</p>
      {/* Pinned to the bottom of the scrolling area: on a small phone in Urdu the text above is taller than the screen. */}
      <div class="actions">
        <button type="button" class="primary" onClick={actions.start}>
          {t.startButton}
        </button>
      </div>
    </section>
  );
}
