import type { Actions } from "../actions.ts";
import { Heading } from "../components/heading.tsx";
import type { Catalogue } from "../i18n/catalogue.ts";
import type { EndReason } from "../state/types.ts";

export function EndedScreen({
  t,
  reason,
  actions,
}: Readonly<{ t: Catalogue; reason: EndReason; actions: Actions }>) {
  return (
    <section class="screen ended" aria-labelledby="sahara-heading">
      <Heading>{t.endedTitle}</Heading>
      <p>{t.endReason[reason]}</p>
      <p>{t.endedBody}</p>
      <button type="button" class="primary" onClick={actions.restart}>
        {t.startAgain}
      </button>
    </section>
  );
}
