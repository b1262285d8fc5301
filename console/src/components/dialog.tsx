import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef } from "preact/hooks";
import { useT } from "../i18n/i18n-context.tsx";

/**
 * A modal dialog: focus moves in on open and back on close, Escape closes (handled here so it
 * works even while a field inside has focus).
 */
export function Dialog(
  props: Readonly<{ title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }>,
) {
  const t = useT();
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>(
      "input, textarea, select, button:not(.dialog-close)",
    );
    (first ?? ref.current)?.focus();
    return () => previous?.focus?.();
  }, []);
  return (
    <div class="backdrop">
      <div
        class={props.wide ? "dialog wide" : "dialog"}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        ref={ref}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            props.onClose();
          }
        }}
      >
        <header class="dialog-header">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" class="dialog-close" onClick={props.onClose} aria-label={t("common.close")}>
            ×
          </button>
        </header>
        {props.children}
      </div>
    </div>
  );
}

/** A yes/no question before something that cannot be undone: Cancel, or the (danger) action. */
export function ConfirmDialog(
  props: Readonly<{
    title: string;
    body: string;
    confirm: string;
    onConfirm: () => void;
    onClose: () => void;
  }>,
) {
  const t = useT();
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p>{props.body}</p>
      <div class="actions">
        <button type="button" onClick={props.onClose}>
          {t("common.cancel")}
        </button>
        <button
          type="button"
          class="danger"
          onClick={() => {
            props.onClose();
            props.onConfirm();
          }}
        >
          {props.confirm}
        </button>
      </div>
    </Dialog>
  );
}
