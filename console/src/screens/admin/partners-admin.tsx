import { LANGUAGES, type Language } from "../../../../shared/protocol/index.ts";
import { type Partner, PartnerCreateSchema } from "../../../../shared/protocol/http/index.ts";
import { TextField } from "../../components/field.tsx";
import { ItemActions, ListEditor, SelectField, useListEditor } from "../../components/list-editor.tsx";
import { useServices } from "../../components/services.tsx";
import { loadError, useLoad } from "../../components/use-load.ts";
import { useT } from "../../i18n/i18n-context.tsx";
import { embedSnippet, parseOrigins } from "../../state/embed-snippet.ts";

type Draft = {
  id: string;
  name: string;
  origins: string;
  exitUrl: string;
  defaultLanguage: Language;
  enabled: boolean;
};
const blank: Draft = {
  id: "",
  name: "",
  origins: "",
  exitUrl: "https://",
  defaultLanguage: "en",
  enabled: true,
};

function toPartner(d: Draft) {
  return {
    id: d.id.trim(),
    name: d.name.trim(),
    allowedOrigins: parseOrigins(d.origins),
    exitUrl: d.exitUrl.trim(),
    defaultLanguage: d.defaultLanguage,
    enabled: d.enabled,
  };
}

/** Partner sites: allowed origins, neutral exit URL, default language, and the embed snippet. */
export function PartnersAdmin() {
  const t = useT();
  const { api } = useServices();
  const partners = useLoad(() => api.partners());
  const embed = useLoad(() => api.embed());
  const editor = useListEditor<{ draft: Draft; isNew: boolean }>(partners.reload);
  const editing = editor.draft;
  const change = (fields: Partial<Draft>) => {
    if (editing) editor.change({ ...editing, draft: { ...editing.draft, ...fields } });
  };
  const list = partners.state.type === "ready" ? partners.state.value.partners : [];

  return (
    <ListEditor
      titleId="partners-title"
      title={t("admin.partners")}
      editor={editor}
      loadError={loadError(partners.state) ?? loadError(embed.state)}
      formLabel={editing?.isNew ? t("partners.add") : t("partners.edit")}
      addLabel={t("partners.add")}
      onAdd={() => editor.open({ isNew: true, draft: blank })}
      onSave={() => {
        if (!editing) return;
        const body = toPartner(editing.draft);
        const { id, ...rest } = body;
        void editor.save(PartnerCreateSchema, body, () =>
          editing.isNew ? api.createPartner(body) : api.updatePartner(id, rest),
        );
      }}
      fields={
        editing ? (
          <>
            {editing.isNew ? (
              <TextField
                label={t("partners.id")}
                hint={t("partners.idHint")}
                value={editing.draft.id}
                error={editor.fieldError("id")}
                onInput={(v) => change({ id: v })}
              />
            ) : null}
            <TextField
              label={t("partners.name")}
              value={editing.draft.name}
              error={editor.fieldError("name")}
              onInput={(v) => change({ name: v })}
            />
            <TextField
              label={t("partners.origins")}
              hint={t("partners.originsHint")}
              multiline
              value={editing.draft.origins}
              error={editor.fieldError("allowedOrigins")}
              onInput={(v) => change({ origins: v })}
            />
            <TextField
              label={t("partners.exitUrl")}
              hint={t("partners.exitHint")}
              type="url"
              value={editing.draft.exitUrl}
              error={editor.fieldError("exitUrl")}
              onInput={(v) => change({ exitUrl: v })}
            />
            <SelectField
              id="partner-language"
              label={t("partners.language")}
              value={editing.draft.defaultLanguage}
              options={LANGUAGES}
              optionLabel={(l) => t(`language.${l}`)}
              onChange={(defaultLanguage) => change({ defaultLanguage })}
            />
            <label class="checkbox">
              <input
                type="checkbox"
                checked={editing.draft.enabled}
                onChange={(e) => change({ enabled: e.currentTarget.checked })}
              />
              {t("partners.enabled")}
            </label>
          </>
        ) : null
      }
    >
      {list.map((p: Partner) => {
        const snippet = embed.state.type === "ready" ? embedSnippet(p, embed.state.value) : null;
        return (
          <article key={p.id} class="card" aria-labelledby={`partner-${p.id}`}>
            <h3 id={`partner-${p.id}`}>
              {p.name} <code>{p.id}</code>{" "}
              {p.enabled ? null : <span class="badge">{t("partners.disabled")}</span>}
            </h3>
            <p>
              {t("partners.origins")}: {p.allowedOrigins.join(", ") || "–"}
            </p>
            <p>
              {t("partners.exitUrl")}: {p.exitUrl} · {t(`language.${p.defaultLanguage}`)}
            </p>
            {snippet ? (
              <div class="field">
                <label for={`snippet-${p.id}`}>{t("partners.snippet")}</label>
                <textarea
                  id={`snippet-${p.id}`}
                  readOnly
                  rows={3}
                  value={snippet.html}
                  aria-describedby={`snippet-${p.id}-hint`}
                />
                <p class="hint" id={`snippet-${p.id}-hint`}>
                  {snippet.pinned ? t("partners.pinned") : t("partners.notPinned")}
                </p>
              </div>
            ) : null}
            <div class="actions">
              <ItemActions
                name={p.name}
                onEdit={() =>
                  editor.open({ isNew: false, draft: { ...p, origins: p.allowedOrigins.join("\n") } })
                }
                onDelete={() => void editor.remove(() => api.deletePartner(p.id))}
              />
            </div>
          </article>
        );
      })}
    </ListEditor>
  );
}
