import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";
import type { Actions } from "../actions.ts";
import { Heading } from "../components/heading.tsx";
import { OpeningHours } from "../components/opening-hours.tsx";
import { ResourceList } from "../components/resource-list.tsx";
import type { Catalogue } from "../i18n/catalogue.ts";
import { connectProgress } from "../state/connect-steps.ts";
import type { Screen, WaitingPhase } from "../state/types.ts";

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
  // While the connection is down the place and the estimate may be stale: say what is true.
  const offline = waiting.connection === "reconnecting";
  return (
    <section class="screen waiting" aria-labelledby="sahara-heading">
      <Heading>{t.waitingTitle}</Heading>
      <ConnectSteps t={t} phase={waiting.phase} />
      {/* Polite: each step is announced as it begins, saying that the one before it is done. */}
      <div role="status" class="status">
        <p>{t.waitingPhase[waiting.phase]}</p>
        {offline && <p class="warning">{t.reconnecting}</p>}
        {!offline && queued && !nobody && waiting.position !== null && (
          <p>{t.queuePosition(waiting.position)}</p>
        )}
        {!offline && queued && !nobody && minutes !== null && <p>{t.estimatedWait(minutes)}</p>}
        {!offline && nobody && <p class="warning">{t.noCounselor}</p>}
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

/**
 * Real progress, not a spinner: each step is ticked as it completes. The list itself is not a
 * live region (the status line above announces each change once); its items carry their state
 * in words for screen readers, and `aria-current` marks the step in progress.
 */
function ConnectSteps({ t, phase }: Readonly<{ t: Catalogue; phase: WaitingPhase }>) {
  return (
    <ol class="steps" aria-label={t.connectSteps}>
      {connectProgress(phase).map(({ step, state }) => (
        <li
          key={step}
          class={`step ${state}`}
          data-step={step}
          data-state={state}
          aria-current={state === "current" ? "step" : undefined}
        >
          <span class="mark" aria-hidden="true" />
          <span>{t.connectStep[step]}</span>
          <span class="visually-hidden">{` (${t.stepState[state]})`}</span>
        </li>
      ))}
    </ol>
  );
}
