import { useEffect, useRef } from "preact/hooks";
import { MAX_TEXT_CHARS } from "../../../shared/protocol/index.ts";
import { useCommand } from "../components/commands.ts";
import { useT } from "../i18n/i18n-context.tsx";

export type ComposerProps = Readonly<{
  value: string;
  disabled: boolean;
  onChange: (value: string, caret: number | null) => void;
  onSend: () => void;
  onTyping: (empty: boolean) => void;
}>;

/** The message box: Ctrl+Enter (or the button) sends; Enter adds a line. */
export function Composer(props: ComposerProps) {
  const t = useT();
  const ref = useRef<HTMLTextAreaElement>(null);
  useCommand((action) => {
    if (action.type === "focus-composer") {
      ref.current?.focus();
      return true;
    }
    return false;
  });
  useEffect(() => {
    if (!props.disabled) ref.current?.focus();
  }, [props.disabled]);
  const left = MAX_TEXT_CHARS - props.value.length;
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSend();
      }}
    >
      <label for="composer-input" class="visually-hidden">
        {t("chat.message")}
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        value={props.value}
        disabled={props.disabled}
        maxLength={MAX_TEXT_CHARS}
        rows={3}
        autoComplete="off"
        spellcheck={true}
        aria-describedby="composer-hint"
        onInput={(e) => {
          props.onChange(e.currentTarget.value, e.currentTarget.selectionStart);
          props.onTyping(e.currentTarget.value.trim() === "");
        }}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
            e.preventDefault();
            props.onSend();
          }
        }}
        onSelect={(e) => props.onChange(e.currentTarget.value, e.currentTarget.selectionStart)}
      />
      <div class="composer-bar">
        <span id="composer-hint" class="hint">
          {t("chat.sendHint")} · {t("chat.charsLeft", { count: left })}
        </span>
        <button type="submit" class="primary" disabled={props.disabled || props.value.trim() === ""}>
          {t("chat.send")}
        </button>
      </div>
    </form>
  );
}
