import { useState } from "preact/hooks";
import { type Canned, CannedInputSchema } from "../../../../shared/protocol/http/index.ts";
import { LANGUAGES, type Language } from "../../../../shared/protocol/index.ts";
import { TextField } from "../../components/field.tsx";
import { useServices } from "../../components/services.tsx";
import { useLoad } from "../../components/use-load.ts";
import { useT } from "../../i18n/i18n-context.tsx";
import type { ErrorCode } from "../../state/errors.ts";
import { type FieldErrors, fieldErrors } from "../../state/form-errors.ts";

type Draft = { id: string | null; language: Language; title: string; body: string; tags: string };
const blank: Draft = { id: null, language: "en", title: "", body: "", tags: "" };

/** Canned responses per language, with tags for the counselors' search. */
export function CannedAdmin() {
  const t = useT();
  const { api } = useServices();
  const loaded = useLoad(() => api.adminCanned());
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ErrorCode | null>(null);
  const list: readonly Canned[] = loaded.state.type === "ready" ? loaded.state.value.responses : [];
  const fe = (f: string) => (errors[f] ? t(`fieldError.${errors[f]}`) : null);

  return (
    <section aria-labelledby="canned-admin-title">
      <h2 id="canned-admin-title">{t("admin.canned")}</h2>
      {error ? (
        <p class="error" role="alert">
          {t(`error.${error}`)}
        </p>
      ) : null}
      <table>
        <caption class="visually-hidden">{t("admin.canned")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("canned.titleField")}</th>
            <th scope="col">{t("queue.language")}</th>
            <th scope="col">{t("canned.tags")}</th>
            <th scope="col">{t("queue.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id}>
              <th scope="row" lang={c.language}>
                {c.title}
              </th>
              <td>{t(`language.${c.language}`)}</td>
              <td>{c.tags.join(", ")}</td>
              <td class="row-actions">
                <button
                  type="button"
                  onClick={() => {
                    setErrors({});
                    setDraft({ ...c, tags: c.tags.join(", ") });
                  }}
                >
                  {t("common.edit")}
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={async () => {
                    const r = await api.deleteCanned(c.id);
                    setError(r.ok ? null : r.error);
                    await loaded.reload();
                  }}
                >
                  {t("common.delete")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {draft ? (
        <form
          class="card"
          aria-label={t("canned.edit")}
          onSubmit={async (e) => {
            e.preventDefault();
            const body = {
              language: draft.language,
              title: draft.title.trim(),
              body: draft.body.trim(),
              tags: draft.tags
                .split(",")
                .map((s) => s.trim())
                .filter(Boolean),
            };
            const found = fieldErrors(CannedInputSchema, body);
            setErrors(found);
            if (Object.keys(found).length > 0) return;
            const r = draft.id ? await api.updateCanned(draft.id, body) : await api.createCanned(body);
            setError(r.ok ? null : r.error);
            if (r.ok) {
              setDraft(null);
              await loaded.reload();
            }
          }}
        >
          <div class="field">
            <label for="canned-language">{t("queue.language")}</label>
            <select
              id="canned-language"
              value={draft.language}
              onChange={(e) => setDraft({ ...draft, language: e.currentTarget.value as Language })}
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <TextField
            label={t("canned.titleField")}
            value={draft.title}
            error={fe("title")}
            onInput={(v) => setDraft({ ...draft, title: v })}
          />
          <TextField
            label={t("canned.body")}
            multiline
            value={draft.body}
            error={fe("body")}
            onInput={(v) => setDraft({ ...draft, body: v })}
          />
          <TextField
            label={t("canned.tags")}
            hint={t("canned.tagsHint")}
            value={draft.tags}
            error={fe("tags")}
            onInput={(v) => setDraft({ ...draft, tags: v })}
          />
          <div class="actions">
            <button type="button" onClick={() => setDraft(null)}>
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
            setDraft(blank);
          }}
        >
          {t("canned.add")}
        </button>
      )}
    </section>
  );
}
