import { useT } from "../i18n/i18n-context.tsx";
import type { ChatsState } from "../state/chats.ts";
import { tabKeyTarget } from "../state/tab-keys.ts";

/**
 * One tab per chat, with its unread badge; Alt+1..9 switches. The ARIA tabs pattern: only the
 * selected tab is in the Tab order, arrow keys (mirrored right to left), Home and End move
 * between tabs and select the one they land on.
 */
export function ChatTabs(props: Readonly<{ state: ChatsState; onFocus: (id: string) => void }>) {
  const t = useT();
  if (props.state.chats.length === 0) return null;
  const ids = props.state.chats.map((c) => c.sessionId as string);
  const onKeyDown = (e: KeyboardEvent) => {
    const list = e.currentTarget as HTMLElement;
    const rtl = getComputedStyle(list).direction === "rtl";
    const current = ids.indexOf((e.target as HTMLElement).id.replace(/^tab-/, ""));
    const next = tabKeyTarget(e.key, rtl, current, ids.length);
    if (next === null || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const id = ids[next];
    if (id === undefined) return;
    props.onFocus(id);
    list.querySelector<HTMLElement>(`#tab-${CSS.escape(id)}`)?.focus();
  };
  return (
    <div class="chat-tabs" role="tablist" aria-label={t("chat.tabs")} onKeyDown={onKeyDown}>
      {props.state.chats.map((chat, i) => {
        const selected = chat.sessionId === props.state.activeId;
        const label = chat.nickname ?? t("chat.visitor", { n: i + 1 });
        return (
          <button
            key={chat.sessionId}
            type="button"
            role="tab"
            id={`tab-${chat.sessionId}`}
            aria-selected={selected}
            tabIndex={selected ? 0 : -1}
            aria-controls="chat-panel"
            class={selected ? "tab selected" : "tab"}
            onClick={() => props.onFocus(chat.sessionId)}
          >
            <span>{label}</span>
            <span class="tab-meta">{t(`language.${chat.language}`)}</span>
            {chat.phase === "wrap-up" ? <span class="badge">{t("chat.wrapUpBadge")}</span> : null}
            {chat.unread > 0 ? (
              <span class="badge unread">
                {chat.unread}
                <span class="visually-hidden"> {t("chat.unread", { count: chat.unread })}</span>
              </span>
            ) : null}
            {i < 9 ? <kbd class="tab-key">{`Alt+${i + 1}`}</kbd> : null}
          </button>
        );
      })}
    </div>
  );
}
