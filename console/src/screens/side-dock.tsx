import { useEffect, useRef, useState } from "preact/hooks";
import type { SideRequest } from "../../../shared/protocol/index.ts";
import { useServices, useWorkspace } from "../components/services.tsx";
import { useNow, useStore } from "../components/use-store.ts";
import { useT } from "../i18n/i18n-context.tsx";
import type { ErrorCode } from "../state/errors.ts";
import { askedMinutesAgo, type SideConversationView } from "../state/side-conversations.ts";
import { ErrorAlert } from "../components/error-alert.tsx";

/**
 * "Ask a supervisor", on every screen of the desk: supervisors and admins see who is asking and
 * for how long (never the chat) and open a side conversation; both sides get a panel per
 * conversation with its own message box. The box starts empty: nothing of the survivor's chat
 * is ever put in it except by the staff member's own paste.
 */
export function SideDock() {
  const t = useT();
  const ws = useWorkspace();
  const side = useStore(ws.side);
  const helper = ws.profile.staff.role !== "counselor";
  const shown = side.conversations.filter((c) => c.phase !== "asking");
  if (!(helper && side.requests.length > 0) && shown.length === 0) return null;
  return (
    <aside class="side-dock" aria-label={t("side.region")}>
      {helper && side.requests.length > 0 ? <SideRequests /> : null}
      {shown.map((c) => (
        <SidePanel key={c.requestId} conversation={c} />
      ))}
    </aside>
  );
}

function SideRequests() {
  const t = useT();
  const { now } = useServices();
  const ws = useWorkspace();
  const side = useStore(ws.side);
  const time = useNow(now, 15_000);
  const [error, setError] = useState<ErrorCode | null>(null);
  const open = async (request: SideRequest) => {
    const result = await ws.sideController.accept(request);
    setError(result.ok ? null : result.error);
  };
  return (
    <section class="side-requests" aria-labelledby="side-requests-title">
      <h2 id="side-requests-title">{t("side.requests")}</h2>
      <ul>
        {side.requests.map((r) => (
          <li key={r.requestId}>
            <span>
              {t("side.requestLine", {
                name: r.counselorName,
                minutes: askedMinutesAgo(r, side.requestsAt, time),
              })}
            </span>{" "}
            <button type="button" class="primary" onClick={() => void open(r)}>
              {t("side.open", { name: r.counselorName })}
            </button>
          </li>
        ))}
      </ul>
      <ErrorAlert error={error} />
    </section>
  );
}

const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

function SidePanel(props: Readonly<{ conversation: SideConversationView }>) {
  const t = useT();
  const ws = useWorkspace();
  const c = props.conversation;
  const name = c.peerName ?? "…";
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<ErrorCode | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const id = `side-${c.requestId}`;
  // The supervisor chose to open it: their focus goes to the box. The counselor is mid-chat
  // and is told (live region) instead, so nothing meant for the visitor lands here by surprise.
  useEffect(() => {
    if (c.phase === "open" && c.role === "helper") box.current?.focus();
  }, [c.phase, c.role]);
  const send = async () => {
    const text = draft;
    if (text.trim() === "") return;
    setDraft("");
    const result = await ws.sideController.send(c.requestId, text);
    if (!result.ok) setDraft(text);
    setError(result.ok ? null : result.error);
  };
  return (
    <section class="side-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("side.with", { name })}</h2>
      {c.phase === "ended" ? (
        <>
          <p role="status">{c.error ? t("side.unverified") : t(`side.ended.${c.endReason ?? "ended"}`)}</p>
          <button type="button" onClick={() => ws.sideController.dismiss(c.requestId)}>
            {t("common.close")}
          </button>
        </>
      ) : (
        <>
          <p class="side-private">{t("side.private")}</p>
          {/* One live region for the whole life of the panel, so its change to "joined" is heard. */}
          <p role="status">{c.phase === "open" ? t("side.joined", { name }) : t("side.connecting")}</p>
          <ol class="messages" role="log" aria-live="polite" aria-label={t("side.messages")}>
            {c.messages.map((m) => (
              <li key={m.id} class={m.from === "me" ? "message mine" : "message theirs"}>
                <span class="visually-hidden">{m.from === "me" ? t("chat.you") : name}: </span>
                <p dir="auto">{m.body}</p>
                <span class="message-meta">{clock(m.at)}</span>
              </li>
            ))}
          </ol>
          <form
            class="composer"
            onSubmit={(e) => {
              e.preventDefault();
              void send();
            }}
          >
            <label for={`${id}-input`}>{t("side.write", { name })}</label>
            <textarea
              id={`${id}-input`}
              ref={box}
              rows={2}
              value={draft}
              disabled={c.phase !== "open"}
              autoComplete="off"
              onInput={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={(e) => {
                // Ctrl+Enter sends, as in the chat; stopped here so the desk's shortcuts do not act.
                if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
                  e.preventDefault();
                  e.stopPropagation();
                  void send();
                }
              }}
            />
            <button type="submit" disabled={c.phase !== "open"}>
              {t("side.send")}
            </button>{" "}
            <button type="button" class="danger" onClick={() => void ws.sideController.end(c.requestId)}>
              {t("side.end")}
            </button>
          </form>
          <ErrorAlert error={error} />
        </>
      )}
    </section>
  );
}
