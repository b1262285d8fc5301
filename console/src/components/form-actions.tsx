import { useT } from "../i18n/i18n-context.tsx";

/** A form's Cancel (which sends nothing) and its submit button. */
export function FormActions(props: Readonly<{ submit: string; disabled?: boolean; onCancel: () => void }>) {
  const t = useT();
  return (
    <div class="actions">
      <button type="button" onClick={props.onCancel}>
        {t("common.cancel")}
      </button>
      <button type="submit" class="primary" disabled={props.disabled}>
        {props.submit}
      </button>
    </div>
  );
}
