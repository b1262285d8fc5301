import { type Canned, CannedInputSchema } from "../../../../shared/protocol/http/index.ts";
import { LANGUAGES, type Language } from "../../../../shared/protocol/index.ts";
import { TextField } from "../../components/field.tsx";
import { ItemTable, ListEditor, SelectField, useListEditor } from "../../components/list-editor.tsx";
import { useServices } from "../../components/services.tsx";
import { loadError, useLoad } from "../../components/use-load.ts";
import { useT } from "../../i18n/i18n-context.tsx";

type Draft = { id: string | null; language: Language; title: string; body: string; tags: string };
const blank: Draft = { id: null, language: "en", title: "", body: "", tags: "" };

/** Canned responses per language, with tags for the counselors' search. */
export function CannedAdmin() {
  const t = useT();
  const { api } = useServices();
  const loaded = useLoad(() => api.adminCanned());
  const editor = useListEditor<Draft>(loaded.reload);
  const { draft } = editor;
  const list: readonly Canned[] = loaded.state.type === "ready" ? loaded.state.value.responses : [];

  return (
    <ListEditor
      titleId="canned-admin-title"
      title={t("admin.canned")}
      editor={editor}
      loadError={loadError(loaded.state)}
      formLabel={t("canned.edit")}
      addLabel={t("canned.add")}
      onAdd={() => editor.open(blank)}
      onSave={() => {
        if (!draft) return;
        const body = {
          language: draft.language,
          title: draft.title.trim(),
          body: draft.body.trim(),
          tags: draft.tags
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        };
        void editor.save(CannedInputSchema, body, () =>
          draft.id ? api.updateCanned(draft.id, body) : api.createCanned(body),
        );
      }}
      fields={
        draft ? (
          <>
            <SelectField
              id="canned-language"
              label={t("queue.language")}
              value={draft.language}
              options={LANGUAGES}
              optionLabel={(l) => t(`language.${l}`)}
              onChange={(language) => editor.change({ ...draft, language })}
            />
            <TextField
              label={t("canned.titleField")}
              value={draft.title}
              error={editor.fieldError("title")}
              onInput={(v) => editor.change({ ...draft, title: v })}
            />
            <TextField
              label={t("canned.body")}
              multiline
              value={draft.body}
              error={editor.fieldError("body")}
              onInput={(v) => editor.change({ ...draft, body: v })}
            />
            <TextField
              label={t("canned.tags")}
              hint={t("canned.tagsHint")}
              value={draft.tags}
              error={editor.fieldError("tags")}
              onInput={(v) => editor.change({ ...draft, tags: v })}
            />
          </>
        ) : null
      }
    >
      <ItemTable
        caption={t("admin.canned")}
        columns={[t("canned.titleField"), t("queue.language"), t("canned.tags")]}
        items={list}
        name={(c) => c.title}
        cells={(c) => (
          <>
            <th scope="row" lang={c.language}>
              {c.title}
            </th>
            <td>{t(`language.${c.language}`)}</td>
            <td>{c.tags.join(", ")}</td>
          </>
        )}
        onEdit={(c) => editor.open({ ...c, tags: c.tags.join(", ") })}
        onDelete={(c) => void editor.remove(() => api.deleteCanned(c.id))}
      />
    </ListEditor>
  );
}
