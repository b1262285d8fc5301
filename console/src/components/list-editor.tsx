import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type * as v from "valibot";
import type { Result } from "../../../shared/result.ts";
import { useT } from "../i18n/i18n-context.tsx";
import { ConfirmDialog } from "./dialog.tsx";
import type { ErrorCode } from "../state/errors.ts";
import { type FieldErrors, fieldErrors } from "../state/form-errors.ts";
import { ErrorAlert } from "./error-alert.tsx";
import { FormActions } from "./form-actions.tsx";

type Send = () => Promise<Result<unknown, ErrorCode>>;

/**
 * The state of an administration list with an add/edit form: the open draft (null: form
 * closed), its field errors (checked with the server's schema before sending) and the last
 * refusal from the server. Saving or deleting reloads the list.
 */
export function useListEditor<D>(reload: () => Promise<void>) {
  const t = useT();
  const [draft, setDraft] = useState<D | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ErrorCode | null>(null);
  const [opened, setOpened] = useState(0);
  return {
    draft,
    error,
    /** Counts the times the form was opened (the form is brought into view and focused each time). */
    opened,
    /** Opens the form on a new or existing item, without the errors of a previous one. */
    open: (d: D) => {
      setErrors({});
      setDraft(d);
      setOpened((n) => n + 1);
    },
    change: (d: D) => setDraft(d),
    close: () => setDraft(null),
    /** The words for a field's error, or null. */
    fieldError: (field: string) => (errors[field] ? t(`fieldError.${errors[field]}`) : null),
    save: async (schema: v.GenericSchema, body: unknown, send: Send) => {
      const found = fieldErrors(schema, body);
      setErrors(found);
      if (Object.keys(found).length > 0) return;
      const r = await send();
      setError(r.ok ? null : r.error);
      if (r.ok) {
        setDraft(null);
        await reload();
      }
    },
    remove: async (send: Send) => {
      const r = await send();
      setError(r.ok ? null : r.error);
      await reload();
    },
  };
}

/**
 * A titled section: the server's refusal, the list, then either the add/edit form (with
 * Cancel and Save) or the button that opens it. Each time the form opens (Add, or Edit on a row
 * far above it) it is scrolled into view and its first field takes focus.
 */
export function ListEditor(
  props: Readonly<{
    titleId: string;
    title: string;
    /**
     * From useListEditor: the form shows while it holds a draft, a change of `opened` brings it
     * into view, Cancel closes it, and its `error` is the server's last refusal.
     */
    editor: Readonly<{ draft: unknown; error: ErrorCode | null; opened: number; close: () => void }>;
    /** Why the list could not be loaded (an empty list would otherwise look like no entries). */
    loadError: ErrorCode | null;
    /** The form's accessible name. */
    formLabel: string;
    addLabel: string;
    onAdd: () => void;
    onSave: () => void;
    /** The form's fields, shown while editing. */
    fields: ComponentChildren;
    /** The list. */
    children: ComponentChildren;
  }>,
) {
  const t = useT();
  const { editor } = props;
  const error = editor.error ?? props.loadError;
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const box = form.current;
    if (!box || editor.opened === 0) return;
    box.scrollIntoView?.({ block: "start" });
    box.querySelector<HTMLElement>("input, select, textarea")?.focus({ preventScroll: true });
  }, [editor.opened]);
  return (
    <section aria-labelledby={props.titleId}>
      <h2 id={props.titleId}>{props.title}</h2>
      <ErrorAlert error={error} />
      {props.children}
      {editor.draft !== null ? (
        <form
          ref={form}
          class="card"
          aria-label={props.formLabel}
          onSubmit={(e) => {
            e.preventDefault();
            props.onSave();
          }}
        >
          {props.fields}
          <FormActions submit={t("common.save")} onCancel={editor.close} />
        </form>
      ) : (
        <button type="button" class="primary" onClick={props.onAdd}>
          {props.addLabel}
        </button>
      )}
    </section>
  );
}

/**
 * The Edit and Delete buttons of one item. Delete asks first, naming the item: one stray click
 * must not take a referral or a partner's widget away.
 */
export function ItemActions(props: Readonly<{ name: string; onEdit: () => void; onDelete: () => void }>) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button type="button" onClick={props.onEdit}>
        {t("common.edit")}
      </button>
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        {t("common.delete")}
      </button>
      {confirming ? (
        <ConfirmDialog
          title={t("common.deleteTitle", { name: props.name })}
          body={t("common.deleteBody")}
          confirm={t("common.delete")}
          onConfirm={props.onDelete}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </>
  );
}

/**
 * The items as a table with a (visually hidden) caption; `cells` gives each row's header and
 * data cells, and the last column holds the item's actions.
 */
export function ItemTable<T extends { id: string }>(
  props: Readonly<{
    caption: string;
    columns: readonly string[];
    items: readonly T[];
    cells: (item: T) => ComponentChildren;
    /** What the delete confirmation calls the item. */
    name: (item: T) => string;
    onEdit: (item: T) => void;
    onDelete: (item: T) => void;
  }>,
) {
  const t = useT();
  return (
    <table>
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          {[...props.columns, t("queue.actions")].map((c, i) => (
            <th key={i} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.items.map((item) => (
          <tr key={item.id}>
            {props.cells(item)}
            <td class="row-actions">
              <ItemActions
                name={props.name(item)}
                onEdit={() => props.onEdit(item)}
                onDelete={() => props.onDelete(item)}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A labelled drop-down over a fixed list of values. */
export function SelectField<V extends string>(
  props: Readonly<{
    id: string;
    label: string;
    value: V;
    options: readonly V[];
    optionLabel: (value: V) => string;
    onChange: (value: V) => void;
  }>,
) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as V)}>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {props.optionLabel(o)}
          </option>
        ))}
      </select>
    </div>
  );
}
