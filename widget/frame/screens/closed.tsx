import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";
import { Heading } from "../components/heading.tsx";
import { OpeningHours } from "../components/opening-hours.tsx";
import { ResourceList } from "../components/resource-list.tsx";
import type { Catalogue } from "../i18n/catalogue.ts";

type Props = Readonly<{
  t: Catalogue;
  language: Language;
  config: WidgetConfig | null;
  now: number;
  localOffset: number;
}>;

/**
 * Closed: first where to get help now (numbers someone in trouble may need at once), then when
 * the helpline opens, in its time and the survivor's own. Deliberately no message box: nothing
 * typed here could reach anyone.
 */
export function ClosedScreen({ t, language, config, now, localOffset }: Props) {
  return (
    <section class="screen closed" aria-labelledby="sahara-heading">
      <Heading>{t.closedTitle}</Heading>
      <p>{t.closedBody}</p>
      <ResourceList t={t} language={language} config={config} />
      {config && (
        <OpeningHours t={t} language={language} config={config} now={now} localOffset={localOffset} />
      )}
    </section>
  );
}
