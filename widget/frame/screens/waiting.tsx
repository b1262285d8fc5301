import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";
import type { Actions } from "../actions.ts";
import { Heading } from "../components/heading.tsx";
import { OpeningHours } from "../components/opening-hours.tsx";
import { ResourceList } from "../components/resource-list.tsx";
import type { Catalogue } from "../i18n/catalogue.ts";
import type { Screen } from "../state/types.ts";

type Props = Readonly<{
  t: Catalogue;
  language: Language;
  config: WidgetConfig | null;
  now: number;
  localOffset: number;
  waiting: Extract<Screen, { type: "waiting" }>;
  actions: Actions;
}>;

export function WaitingScreen({ t, language, config, now, localOffset, waiting, actions }: Props) {
  const minutes =
    waiting.estimatedWaitSeconds === null ? null : Math.max(1, Math.round(waiting.estimatedWaitSeconds / 60));
  const queued = waiting.phase === "queued";
  // With nobody available any estimate could prove false: say so, and offer other ways to help.
  const nobody = queued && waiting.counselorAvailable === false;
  return (
    <section class="screen waiting" aria-labelledby="sahara-heading">
      <Heading>{t.waitingTitle}</Heading>
      <div role="status" class="status">
        <p>{t.waitingPhase[waiting.phase]}</p>
        {queued && !nobody && waiting.position !== null && <p>{t.queuePosition(waiting.position)}</p>}
        {queued && !nobody && minutes !== null && <p>{t.estimatedWait(minutes)}</p>}
        {nobody && <p class="warning">{t.noCounselor}</p>}
      </div>
      {waiting.phase === "solving" && (
        <progress max={100} value={Math.round(waiting.progress * 100)} aria-label={t.progressLabel} />
      )}
      <button type="button" onClick={actions.endChat}>
        {t.leaveQueue}
      </button>
      {nobody && (
        <>
          <ResourceList t={t} language={language} config={config} />
          {config && (
            <OpeningHours t={t} language={language} config={config} now={now} localOffset={localOffset} />
          )}
        </>
      )}
    </section>
  );
}
