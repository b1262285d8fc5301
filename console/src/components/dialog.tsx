import type { ComponentChildren } from "preact";
import { useId, useLayoutEffect, useRef } from "preact/hooks";
import { useT } from "../i18n/i18n-context.tsx";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function isTopmost(box: HTMLElement): boolean {
  const open = document.querySelectorAll('[role="dialog"][aria-modal="true"]');
  return open[open.length - 1] === box;
}

/**
 * A modal dialog: focus moves in on open and back on close (or to `returnFocus`), Tab and
 * Shift+Tab stay inside (the page behind is inert while it is open), Escape closes (handled here
 * so it works even while a field inside has focus). `side` docks it at the inline start over the
 * queue, without dimming, so the conversation stays readable while a picker is open.
 */
export function Dialog(
  props: Readonly<{
    title: string;
    onClose: () => void;
    children: ComponentChildren;
    wide?: boolean;
    side?: boolean;
    /**
     * Called once the dialog is gone; true when it moved focus itself (else focus goes back to
     * where it was before the dialog opened).
     */
    returnFocus?: () => boolean;
  }>,
) {
  const t = useT();
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const returnFocus = useRef(props.returnFocus);
  returnFocus.current = props.returnFocus;
  // A layout effect: focus is inside before the dialog is painted, so a key pressed the moment it
  // shows (Escape above all) reaches the dialog's own handler, not the control behind it.
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>(
      "input, textarea, select, button:not(.dialog-close)",
    );
    (first ?? ref.current)?.focus();
    // Tab and Shift+Tab cycle inside the topmost dialog, wherever focus was (a click on the
    // backdrop leaves it on the body).
    const trap = (e: KeyboardEvent) => {
      const box = ref.current;
      if (e.key !== "Tab" || !box || !isTopmost(box)) return;
      const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (el) => el.getClientRects().length > 0,
      );
      const head = items[0];
      const tail = items[items.length - 1];
      const active = document.activeElement;
      const inside = box.contains(active);
      if (!head || !tail) {
        e.preventDefault();
        box.focus();
      } else if (e.shiftKey && (active === head || !inside)) {
        e.preventDefault();
        tail.focus();
      } else if (!e.shiftKey && (active === tail || !inside)) {
        e.preventDefault();
        head.focus();
      }
    };
    document.addEventListener("keydown", trap);
    return () => {
      document.removeEventListener("keydown", trap);
      const back = returnFocus.current;
      // After the dialog is gone from the page, or focus would be lost with it.
      setTimeout(() => {
        // Focus is only put back if it was lost with the dialog (it is on the body). If it is
        // somewhere already, someone put it there in the meantime (another dialog opened by Alt+E
        // straight after Escape, or a click into the message box), so leave it.
        const now = document.activeElement;
        if (now && now !== document.body) return;
        if (!back?.()) previous?.focus?.();
      }, 0);
    };
  }, []);
  const classes = ["dialog", props.wide ? "wide" : "", props.side ? "side" : ""].filter(Boolean).join(" ");
  return (
    <div class={props.side ? "backdrop side" : "backdrop"}>
      <div
        class={classes}
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
