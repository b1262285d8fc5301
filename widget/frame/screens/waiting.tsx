import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { Actions } from "../actions.ts";
import { Heading } from "../components/heading.tsx";
import type { Catalogue } from "../i18n/catalogue.ts";
import type { Screen } from "../state/types.ts";

type Props = Readonly<{
  t: Catalogue;
  language: Language;
  waiting: Extract<Screen, { type: "waiting" }>;
  actions: Actions;
}>;

export function WaitingScreen({ t, waiting, actions }: Props) {
  const minutes =
    waiting.estimatedWaitSeconds === null ? null : Math.max(1, Math.round(waiting.estimatedWaitSeconds / 60));
  return (
    <section class="screen waiting" aria-labelledby="sahara-heading">
      <Heading>{t.waitingTitle}</Heading>
      <div role="status" class="status">
        <p>{t.waitingPhase[waiting.phase]}</p>
        {waiting.phase === "queued" && waiting.position !== null && (
          <p>{t.queuePosition(waiting.position)}</p>
        )}
        {waiting.phase === "queued" && minutes !== null && <p>{t.estimatedWait(minutes)}</p>}
      </div>
      {waiting.phase === "solving" && (
        <progress max={100} value={Math.round(waiting.progress * 100)} aria-label={t.progressLabel} />
      )}
      <button type="button" onClick={actions.endChat}>
        {t.leaveQueue}
      </button>
    </section>
  );
}
