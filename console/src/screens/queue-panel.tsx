import { useServices, useWorkspace } from "../components/services.tsx";
import { useNow, useStore } from "../components/use-store.ts";
import { useT } from "../i18n/i18n-context.tsx";
import { openChatCount } from "../state/chats.ts";
import { formatWait, sortedQueue, waitedNow } from "../state/desk.ts";

/** Waiting chats (metadata only), "Take next" and per-row take. */
export function QueuePanel(props: Readonly<{ onTake: (sessionId?: string) => void; busy: boolean }>) {
  const t = useT();
  const { now } = useServices();
  const ws = useWorkspace();
  const desk = useStore(ws.desk);
  const chats = useStore(ws.chats);
  const wellbeing = useStore(ws.wellbeing);
  const time = useNow(now);
  const full = openChatCount(chats) >= ws.profile.staff.chatLimit;
  const canTake = ws.certified && wellbeing.status === "available" && !full && !props.busy;
  const queue = sortedQueue(desk.queue);
  const reason = !ws.certified
    ? t("queue.notCertified")
    : wellbeing.status !== "available"
      ? t("queue.notAvailable")
      : full
        ? t("queue.atLimit", { limit: ws.profile.staff.chatLimit })
        : null;
  return (
    <section class="queue-panel" aria-labelledby="queue-title">
      <header class="panel-header">
        <h2 id="queue-title">{t("queue.title", { count: queue.length })}</h2>
        <button
          type="button"
          class="primary"
          disabled={!canTake || queue.length === 0}
          onClick={() => props.onTake()}
        >
          {t("queue.takeNext")}
        </button>
      </header>
      {reason ? <p class="hint">{reason}</p> : null}
      {queue.length === 0 ? (
        <p class="empty">{t("queue.empty")}</p>
      ) : (
        <table class="queue-table">
          <caption class="visually-hidden">{t("queue.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("queue.wait")}</th>
              <th scope="col">{t("queue.language")}</th>
              <th scope="col">{t("queue.partner")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("queue.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {queue.map((entry) => (
              <tr key={entry.sessionId}>
                <td>
                  {formatWait(waitedNow(entry.waitingSeconds, desk.queueAt, time))}
                  {entry.transferFrom ? <span class="badge">{t("queue.transfer")}</span> : null}
                </td>
                <td>{t(`language.${entry.language}`)}</td>
                <td>{entry.partner}</td>
                <td>
                  <button type="button" disabled={!canTake} onClick={() => props.onTake(entry.sessionId)}>
                    {t("queue.take")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
