import { useEffect, useRef, useState } from "preact/hooks";
import type { SessionId } from "../../../shared/protocol/index.ts";
import { useCommand } from "../components/commands.ts";
import { ConfirmDialog } from "../components/dialog.tsx";
import { useServices, useWorkspace } from "../components/services.tsx";
import { useStore } from "../components/use-store.ts";
import { useT } from "../i18n/i18n-context.tsx";
import { insertText } from "../state/canned-search.ts";
import { activeChat, pendingRead } from "../state/chats.ts";
import type { ErrorCode } from "../state/errors.ts";
import { idleTyping, onInput, onStop, onTick, type TypingState } from "../state/typing.ts";
import { ChatTabs } from "./chat-tabs.tsx";
import { ChatView } from "./chat-view.tsx";
import { CannedPicker, ReferralPicker } from "./insert-pickers.tsx";
import { QueuePanel } from "./queue-panel.tsx";
import { TransferDialog } from "./transfer-dialog.tsx";
import { ErrorAlert } from "../components/error-alert.tsx";

type Open = "canned" | "referrals" | "transfer" | "end" | null;

/** The counselor's desk: queue on one side, open chats in tabs on the other. */
export function ChatsScreen() {
  const t = useT();
  const { now } = useServices();
  const ws = useWorkspace();
  const state = useStore(ws.chats);
  const chat = activeChat(state);
  const [open, setOpen] = useState<Open>(null);
  const [takeError, setTakeError] = useState<ErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  // "Wrap-up saved" stays until the next chat arrives, so it is not missed.
  const [filed, setFiled] = useState(false);
  const chatCount = state.chats.length;
  const seenCount = useRef(chatCount);
  useEffect(() => {
    if (chatCount > seenCount.current) setFiled(false);
    seenCount.current = chatCount;
  }, [chatCount]);
  // Drafts and caret per chat, in memory only (dropped with the chat).
  const [drafts, setDrafts] = useState<ReadonlyMap<string, { value: string; caret: number | null }>>(
    new Map(),
  );
  const typing = useRef(new Map<string, TypingState>());

  const draft = chat
    ? (drafts.get(chat.sessionId) ?? { value: "", caret: null })
    : { value: "", caret: null };
  const setDraft = (id: string, value: string, caret: number | null) =>
    setDrafts((d) => new Map(d).set(id, { value, caret }));

  const take = async (sessionId?: string) => {
    setBusy(true);
    const result = await ws.controller.takeNext(sessionId as SessionId | undefined);
    setBusy(false);
    setTakeError(result.ok ? null : result.error);
  };

  const sendTyping = (id: SessionId, step: { state: TypingState; send: boolean | null }) => {
    typing.current.set(id, step.state);
    if (step.send !== null) void ws.controller.typing(id, step.send);
  };

  const send = async () => {
    if (!chat || draft.value.trim() === "") return;
    const body = draft.value.trim();
    setDraft(chat.sessionId, "", null);
    sendTyping(chat.sessionId, onStop(typing.current.get(chat.sessionId) ?? idleTyping));
    const result = await ws.controller.send(chat.sessionId, body);
    if (!result.ok) setDraft(chat.sessionId, body, null);
  };

  // Drop drafts of chats that are gone.
  useEffect(() => {
    const ids = new Set(state.chats.map((c) => c.sessionId as string));
    if ([...drafts.keys()].some((k) => !ids.has(k)))
      setDrafts((d) => new Map([...d].filter(([k]) => ids.has(k))));
  }, [state.chats, drafts]);

  // Typing "stopped" after a pause.
  useEffect(() => {
    const id = setInterval(() => {
      for (const [sessionId, s] of typing.current) sendTyping(sessionId as SessionId, onTick(s, now()));
    }, 1000);
    return () => clearInterval(id);
  });

  // Read receipts for what is on screen.
  useEffect(() => {
    if (chat && pendingRead(chat) !== null && document.visibilityState !== "hidden")
      void ws.controller.markRead(chat.sessionId);
  });

  useCommand((action) => {
    switch (action.type) {
      case "take-next":
        void take();
        return true;
      case "switch-chat": {
        const target = state.chats[action.index];
        if (target) ws.chats.dispatch({ type: "focus", sessionId: target.sessionId });
        return Boolean(target);
      }
      case "canned":
      case "referrals":
      case "transfer":
        if (chat?.phase !== "active") return false;
        setOpen(action.type);
        return true;
      case "end-chat":
        if (chat?.phase !== "active") return false;
        setOpen("end");
        return true;
      case "close-dialog":
        if (open === null) return false;
        setOpen(null);
        return true;
      default:
        return false;
    }
  });

  // The caret after the last insert, until the picker has closed and handed focus back.
  const inserted = useRef<number | null>(null);
  const insert = (text: string) => {
    if (!chat) return;
    const next = insertText(draft.value, draft.caret, text);
    setDraft(chat.sessionId, next.value, next.caret);
    inserted.current = next.caret;
    setOpen(null);
  };
  const focusAfterInsert = () => {
    const caret = inserted.current;
    inserted.current = null;
    const box = document.getElementById("composer-input");
    if (caret === null || !(box instanceof HTMLTextAreaElement)) return false;
    box.focus();
    box.setSelectionRange(caret, caret);
    return true;
  };

  return (
    <div class="chats-screen">
      <QueuePanel onTake={take} busy={busy} />
      <section class="chat-area" aria-label={t("chat.area")}>
        <p class="notice filed" role="status">
          {filed ? t("wrapup.filed") : ""}
        </p>
        <ErrorAlert error={takeError} />
        <ChatTabs
          state={state}
          onFocus={(id) => ws.chats.dispatch({ type: "focus", sessionId: id as SessionId })}
        />
        <div id="chat-panel" role="tabpanel" aria-labelledby={chat ? `tab-${chat.sessionId}` : undefined}>
          {chat ? (
            <ChatView
              chat={chat}
              index={state.chats.indexOf(chat)}
              draft={draft.value}
              onDraft={(value, caret) => setDraft(chat.sessionId, value, caret)}
              onSend={send}
              onTyping={(empty) =>
                sendTyping(
                  chat.sessionId,
                  onInput(typing.current.get(chat.sessionId) ?? idleTyping, now(), empty),
                )
              }
              onOpen={setOpen}
              onDismiss={() => ws.controller.close(chat.sessionId)}
              onFiled={() => setFiled(true)}
              onReclaim={(to) => void ws.controller.reclaim(chat.sessionId, to)}
            />
          ) : (
            <p class="empty">{t("chat.none")}</p>
          )}
        </div>
      </section>
      {chat && open === "canned" ? (
        <CannedPicker
          language={chat.language}
          onInsert={insert}
          onClose={() => setOpen(null)}
          returnFocus={focusAfterInsert}
        />
      ) : null}
      {chat && open === "referrals" ? (
        <ReferralPicker
          language={chat.language}
          onInsert={insert}
          onClose={() => setOpen(null)}
          returnFocus={focusAfterInsert}
        />
      ) : null}
      {chat && open === "transfer" ? (
        <TransferDialog sessionId={chat.sessionId} onClose={() => setOpen(null)} />
      ) : null}
      {chat && open === "end" ? (
        <ConfirmDialog
          title={t("chat.endTitle")}
          body={t("chat.endConfirm")}
          confirm={t("chat.end")}
          onConfirm={() => void ws.controller.end(chat.sessionId)}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </div>
  );
}
