import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";
import type { Actions } from "../actions.ts";
import { Heading } from "../components/heading.tsx";
import { ResourceList } from "../components/resource-list.tsx";
import type { Catalogue } from "../i18n/catalogue.ts";
import type { EndReason } from "../state/types.ts";

type Props = Readonly<{
  t: Catalogue;
  language: Language;
  config: WidgetConfig | null;
  reason: EndReason;
  actions: Actions;
}>;

/** After a chat: it is gone, here is where to get help, and a new chat in the same language. */
export function EndedScreen({ t, language, config, reason, actions }: Props) {
  return (
    <section class="screen ended" aria-labelledby="sahara-heading">
      <Heading>{t.endedTitle}</Heading>
      <p>{t.endReason[reason]}</p>
      <p>{t.endedBody}</p>
      <button type="button" class="primary" onClick={actions.restart}>
        {t.startAgain}
      </button>
      <ResourceList t={t} language={language} config={config} />
    </section>
  );
}
