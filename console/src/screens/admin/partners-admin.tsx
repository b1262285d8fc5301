import { useState } from "preact/hooks";
import { LANGUAGES, type Language } from "../../../../shared/protocol/index.ts";
import { type Partner, PartnerCreateSchema } from "../../../../shared/protocol/http/index.ts";
import { TextField } from "../../components/field.tsx";
import { useServices } from "../../components/services.tsx";
import { useLoad } from "../../components/use-load.ts";
import { useT } from "../../i18n/i18n-context.tsx";
import { embedSnippet, parseOrigins } from "../../state/embed-snippet.ts";
import type { ErrorCode } from "../../state/errors.ts";
import { type FieldErrors, fieldErrors } from "../../state/form-errors.ts";

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
  const [editing, setEditing] = useState<{ draft: Draft; isNew: boolean } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ErrorCode | null>(null);

  const save = async () => {
    if (!editing) return;
    const body = toPartner(editing.draft);
    const found = fieldErrors(PartnerCreateSchema, body);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { id, ...rest } = body;
    const r = editing.isNew ? await api.createPartner(body) : await api.updatePartner(id, rest);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setEditing(null);
    await partners.reload();
  };

  const fe = (field: string) => (errors[field] ? t(`fieldError.${errors[field]}`) : null);
  const list = partners.state.type === "ready" ? partners.state.value.partners : [];

  return (
    <section aria-labelledby="partners-title">
      <h2 id="partners-title">{t("admin.partners")}</h2>
      {error ? (
        <p class="error" role="alert">
          {t(`error.${error}`)}
        </p>
      ) : null}
      {list.map((p: Partner) => {
        const snippet = embed.state.type === "ready" ? embedSnippet(p, embed.state.value) : null;
        return (
          <article key={p.id} class="card">
            <h3>
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
              <button
                type="button"
                onClick={() => {
                  setErrors({});
                  setEditing({
                    isNew: false,
                    draft: { ...p, origins: p.allowedOrigins.join("\n"), defaultLanguage: p.defaultLanguage },
                  });
                }}
              >
                {t("common.edit")}
              </button>
              <button
                type="button"
                class="danger"
                onClick={async () => {
                  const r = await api.deletePartner(p.id);
                  setError(r.ok ? null : r.error);
                  await partners.reload();
                }}
              >
                {t("common.delete")}
              </button>
            </div>
          </article>
        );
      })}
      {editing ? (
        <form
          class="card"
          aria-label={editing.isNew ? t("partners.add") : t("common.edit")}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {editing.isNew ? (
            <TextField
              label={t("partners.id")}
              hint={t("partners.idHint")}
              value={editing.draft.id}
              error={fe("id")}
              onInput={(v) => setEditing({ ...editing, draft: { ...editing.draft, id: v } })}
            />
          ) : null}
          <TextField
            label={t("partners.name")}
            value={editing.draft.name}
            error={fe("name")}
            onInput={(v) => setEditing({ ...editing, draft: { ...editing.draft, name: v } })}
          />
          <TextField
            label={t("partners.origins")}
            hint={t("partners.originsHint")}
            multiline
            value={editing.draft.origins}
            error={fe("allowedOrigins")}
            onInput={(v) => setEditing({ ...editing, draft: { ...editing.draft, origins: v } })}
          />
          <TextField
            label={t("partners.exitUrl")}
            hint={t("partners.exitHint")}
            type="url"
            value={editing.draft.exitUrl}
            error={fe("exitUrl")}
            onInput={(v) => setEditing({ ...editing, draft: { ...editing.draft, exitUrl: v } })}
          />
          <div class="field">
            <label for="partner-language">{t("partners.language")}</label>
            <select
              id="partner-language"
              value={editing.draft.defaultLanguage}
              onChange={(e) =>
                setEditing({
                  ...editing,
                  draft: { ...editing.draft, defaultLanguage: e.currentTarget.value as Language },
                })
              }
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={editing.draft.enabled}
              onChange={(e) =>
                setEditing({ ...editing, draft: { ...editing.draft, enabled: e.currentTarget.checked } })
              }
            />
            {t("partners.enabled")}
          </label>
          <div class="actions">
            <button type="button" onClick={() => setEditing(null)}>
              {t("common.cancel")}
            </button>
            <button type="submit" class="primary">
              {t("common.save")}
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          class="primary"
          onClick={() => {
            setErrors({});
            setEditing({ isNew: true, draft: blank });
          }}
        >
          {t("partners.add")}
        </button>
      )}
    </section>
  );
}
