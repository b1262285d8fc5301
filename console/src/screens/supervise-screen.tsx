import { useState } from "preact/hooks";
import { useServices, useWorkspace } from "../components/services.tsx";
import { useNow, useStore } from "../components/use-store.ts";
import { useT } from "../i18n/i18n-context.tsx";
import { formatWait, sortedQueue, summarizeLoad, waitedNow } from "../state/desk.ts";
import { waitsByLanguage } from "../state/staff-languages.ts";

/** Supervisors: the queue, wait times, and each counselor's status and load. Never content. */
export function SuperviseScreen() {
  const t = useT();
  const { now } = useServices();
  const ws = useWorkspace();
  const desk = useStore(ws.desk);
  const time = useNow(now);
  const counselors = desk.load?.counselors ?? [];
  const summary = summarizeLoad(counselors);
  const queue = sortedQueue(desk.queue);
  const byLanguage = waitsByLanguage(queue, counselors);
  const [clearing, setClearing] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const clearSilent = async () => {
    setClearing(true);
    const reply = await ws.controller.clearSilent();
    setClearing(false);
    setOutcome(reply.ok ? t("supervise.cleared", { count: reply.cleared }) : t(`error.${reply.error}`));
  };
  return (
    <main class="page" aria-labelledby="supervise-title">
      <h1 id="supervise-title">{t("supervise.title")}</h1>
      <dl class="summary">
        <div>
          <dt>{t("supervise.waiting")}</dt>
          <dd>{queue.length}</dd>
        </div>
        <div>
          <dt>{t("supervise.longest")}</dt>
          <dd>{queue[0] ? formatWait(waitedNow(queue[0].waitingSeconds, desk.queueAt, time)) : "–"}</dd>
        </div>
        <div>
          <dt>{t("status.available")}</dt>
          <dd>{summary.available}</dd>
        </div>
        <div>
          <dt>{t("supervise.capacity")}</dt>
          <dd>{summary.capacity}</dd>
        </div>
        <div>
          <dt>{t("supervise.activeChats")}</dt>
          <dd>{summary.chats}</dd>
        </div>
      </dl>
      <table>
        <caption>{t("supervise.byLanguage")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("queue.language")}</th>
            <th scope="col">{t("supervise.waiting")}</th>
            <th scope="col">{t("supervise.longest")}</th>
            <th scope="col">{t("supervise.speakers")}</th>
          </tr>
        </thead>
        <tbody>
          {byLanguage.map((w) => (
            <tr key={w.language} class={w.waiting > 0 && w.available === 0 ? "warn" : undefined}>
              <th scope="row">{t(`language.${w.language}`)}</th>
              <td>{w.waiting}</td>
              <td>{w.waiting > 0 ? formatWait(waitedNow(w.longestSeconds, desk.queueAt, time)) : "–"}</td>
              <td>{w.available}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>{t("supervise.counselors")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("field.displayName")}</th>
            <th scope="col">{t("status.label")}</th>
            <th scope="col">{t("supervise.load")}</th>
            <th scope="col">{t("field.languages")}</th>
          </tr>
        </thead>
        <tbody>
          {counselors.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.displayName}</th>
              <td>
                <span class={`status-dot ${c.status}`} aria-hidden="true" /> {t(`status.${c.status}`)}
              </td>
              <td>{t("transfer.load", { chats: c.chats, limit: c.limit })}</td>
              <td>{c.languages.map((l) => t(`language.${l}`)).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>{t("queue.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("queue.wait")}</th>
            <th scope="col">{t("queue.language")}</th>
            <th scope="col">{t("queue.partner")}</th>
          </tr>
        </thead>
        <tbody>
          {queue.map((e) => (
            <tr key={e.sessionId}>
              <td>{formatWait(waitedNow(e.waitingSeconds, desk.queueAt, time))}</td>
              <td>{t(`language.${e.language}`)}</td>
              <td>{e.partner}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p id="clear-silent-help">{t("supervise.clearSilentHelp")}</p>
      <button type="button" aria-describedby="clear-silent-help" disabled={clearing} onClick={clearSilent}>
        {t("supervise.clearSilent")}
      </button>
      <p role="status">{outcome ?? ""}</p>
    </main>
  );
}
