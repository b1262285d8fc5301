import { useState } from "preact/hooks";
import { MAX_TEXT_CHARS } from "../../../shared/protocol/limits.ts";
import type { Actions } from "../actions.ts";
import type { Catalogue } from "../i18n/catalogue.ts";

/**
 * The message box. The draft lives only in this component's memory: it is never sent until the
 * survivor presses Send, and it disappears with the component on a wipe. `autocomplete="off"`
 * (and no spellcheck service) keeps the browser from remembering what was typed.
 *
 * The frame is sandboxed without `allow-forms`, and a sandboxed document never submits a form:
 * not even the `submit` event fires. So Send acts on its own click (a tap on a phone) and Enter
 * on its key press; the form's `onSubmit` stays for a document that can submit (the DOM tests).
 * Each cancels the default, so a message is sent once wherever the frame runs.
 */
export function Composer({
  t,
  disabled,
  actions,
}: Readonly<{ t: Catalogue; disabled: boolean; actions: Actions }>) {
  const [draft, setDraft] = useState("");
  const submit = (event: Event) => {
    event.preventDefault();
    const body = draft.trim();
    if (!body || disabled) return;
    actions.send(body);
    setDraft("");
  };
  return (
    <form class="composer" onSubmit={submit} autocomplete="off">
      <label for="sahara-message" class="visually-hidden">
        {t.messageLabel}
      </label>
      <textarea
        id="sahara-message"
        rows={2}
        dir="auto"
        maxLength={MAX_TEXT_CHARS}
        autocomplete="off"
        autocapitalize="sentences"
        spellcheck={false}
        value={draft}
        placeholder={t.messageLabel}
        onInput={(event) => {
          setDraft(event.currentTarget.value);
          actions.typing(event.currentTarget.value.length > 0);
        }}
        onKeyDown={(event) => {
          // Enter sends; Shift+Enter is unusable here (Shift is the quick-exit key), so Ctrl+Enter
          // and Alt+Enter insert a new line.
          if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.altKey) submit(event);
        }}
      />
      <button type="submit" class="primary" disabled={disabled} onClick={submit}>
        {t.send}
      </button>
    </form>
  );
}
