import { useEffect, useRef } from "preact/hooks";
import { useT } from "../i18n/i18n-context.tsx";
import type { Chat } from "../state/chats.ts";
import { Composer } from "./composer.tsx";
import { SideAskButton } from "./side-ask.tsx";
import { ImageMessage } from "./image-message.tsx";
import { ImageSend } from "./image-send.tsx";
import { WrapUpForm } from "./wrap-up-form.tsx";

export type ChatViewProps = Readonly<{
  chat: Chat;
  index: number;
  draft: string;
  onDraft: (value: string, caret: number | null) => void;
  onSend: () => void;
  onTyping: (empty: boolean) => void;
  onOpen: (dialog: "canned" | "referrals" | "transfer" | "end") => void;
  onDismiss: () => void;
  /** The wrap-up form was filed (the chat is gone; the desk confirms it). */
  onFiled: () => void;
  onReclaim: (to: "me" | "queue") => void;
}>;

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** One conversation: header with the safety code, messages, composer, and the chat's actions. */
export function ChatView(props: ChatViewProps) {
  const t = useT();
  const { chat } = props;
  const log = useRef<HTMLOListElement>(null);
  useEffect(() => {
    log.current?.lastElementChild?.scrollIntoView?.({ block: "end" });
  }, [chat.messages.length]);

  if (chat.phase === "wrap-up")
    return <WrapUpForm key={chat.sessionId} chat={chat} onFiled={props.onFiled} />;
  if (chat.phase === "failed") {
    return (
      <section class="chat-failed">
        <p class="error" role="alert">
          {t("chat.failed")}
        </p>
        <button type="button" onClick={props.onDismiss}>
          {t("common.close")}
        </button>
      </section>
    );
  }
  const name = chat.nickname ?? t("chat.visitor", { n: props.index + 1 });
  return (
    <section class="chat-view" aria-labelledby="chat-title">
      <header class="chat-header">
        <div>
          <h2 id="chat-title">{name}</h2>
          <p class="tab-meta">
            {t(`language.${chat.language}`)} · {chat.partner}
            {chat.forWhom ? ` · ${t(`forWhom.${chat.forWhom}`)}` : ""}
          </p>
        </div>
        <div class="safety-code" aria-live="polite">
          {chat.safetyCode ? (
            <>
              <span class="label">{t("chat.safetyCode")}</span>{" "}
              {/* Digit groups stay in reading order in Urdu too: both sides compare them aloud. */}
              <code dir="ltr">{chat.safetyCode}</code>
            </>
          ) : (
            <span>{t("chat.connecting")}</span>
          )}
        </div>
        <div class="chat-actions">
          <button type="button" onClick={() => props.onOpen("canned")} disabled={chat.phase !== "active"}>
            {t("chat.canned")}
          </button>
          <button type="button" onClick={() => props.onOpen("referrals")} disabled={chat.phase !== "active"}>
            {t("chat.referrals")}
          </button>
          <button type="button" onClick={() => props.onOpen("transfer")} disabled={chat.phase !== "active"}>
            {t("chat.transfer")}
          </button>
          <SideAskButton sessionId={chat.sessionId} disabled={chat.phase !== "active"} />
          <button type="button" class="danger" onClick={() => props.onOpen("end")}>
            {t("chat.end")}
          </button>
        </div>
      </header>
      {chat.phase === "handing-over" && chat.outgoing ? (
        <p class="notice" role="status">
          {t("chat.handingOver", { name: chat.outgoing.toName })}
        </p>
      ) : null}
      {chat.phase === "handover-failed" && chat.outgoing ? (
        <div class="notice handover-failed" role="alert">
          <p>
            {t("chat.handoverFailed", { name: chat.outgoing.toName })}{" "}
            {chat.outgoing.failure ? t(`error.${chat.outgoing.failure}`) : null}
          </p>
          <button type="button" class="primary" onClick={() => props.onReclaim("me")}>
            {t("chat.takeBack")}
          </button>{" "}
          <button type="button" onClick={() => props.onReclaim("queue")}>
            {t("chat.toQueue")}
          </button>
        </div>
      ) : null}
      {chat.peerConnected ? null : (
        <p class="notice" role="status">
          {t("error.peer-offline")}
        </p>
      )}
      {chat.handover ? (
        <aside class="handover" aria-label={t("chat.handover")}>
          <strong>{t("chat.handoverFrom", { name: chat.handover.fromName })}</strong>
          <p>
            {chat.handover.unreadable ? t("chat.noteUnreadable") : (chat.handover.note ?? t("chat.noNote"))}
          </p>
        </aside>
      ) : null}
      <ol class="messages" role="log" aria-live="polite" aria-label={t("chat.messages")} ref={log}>
        {chat.messages.map((m, i) => [
          <li
            key={m.id}
            class={`${m.from === "counselor" ? "message mine" : "message theirs"}${m.epoch < 0 ? " earlier" : ""}`}
          >
            <span class="visually-hidden">{m.from === "counselor" ? t("chat.you") : name}: </span>
            {m.image ? (
              <ImageMessage image={m.image} mine={m.from === "counselor"} />
            ) : (
              <p dir="auto">{m.body}</p>
            )}
            <span class="message-meta">
              {time(m.at)}
              {m.from === "counselor" && m.epoch >= 0 ? ` · ${t(`status.message.${m.status}`)}` : ""}
            </span>
          </li>,
          m.epoch < 0 && (chat.messages[i + 1]?.epoch ?? 0) >= 0 ? (
            <li key="earlier-end" class="earlier-end">
              {t("chat.earlierEnd")}
            </li>
          ) : null,
        ])}
      </ol>
      <p class="typing" aria-live="polite">
        {chat.survivorTyping ? t("chat.typing", { name }) : ""}
      </p>
      <Composer
        value={props.draft}
        disabled={chat.phase !== "active"}
        onChange={props.onDraft}
        onSend={props.onSend}
        onTyping={props.onTyping}
      />
      <ImageSend sessionId={chat.sessionId} disabled={chat.phase !== "active"} />
    </section>
  );
}
