import type { JSX } from "preact";
import { useId } from "preact/hooks";

/**
 * A labelled form control with its hint and error tied to it (`aria-describedby`,
 * `aria-invalid`), so screen readers announce why a field was refused.
 */
type FieldProps = Readonly<{
  label: string;
  error?: string | null | undefined;
  hint?: string | undefined;
  children: (ids: Readonly<{ id: string; describedBy: string | undefined; invalid: boolean }>) => JSX.Element;
}>;

export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : "", error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

type TextFieldProps = Readonly<{
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | null | undefined;
  hint?: string | undefined;
  type?: "text" | "password" | "url" | "date" | "time" | "number";
  autoComplete?: string;
  required?: boolean;
  multiline?: boolean;
  name?: string;
}>;

export function TextField(props: TextFieldProps) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {({ id, describedBy, invalid }) =>
        props.multiline ? (
          <textarea
            id={id}
            name={props.name}
            value={props.value}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            required={props.required}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        ) : (
          <input
            id={id}
            name={props.name}
            type={props.type ?? "text"}
            value={props.value}
            autoComplete={props.autoComplete ?? "off"}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            required={props.required}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        )
      }
    </Field>
  );
}
