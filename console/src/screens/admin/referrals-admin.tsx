import { useState } from "preact/hooks";
import {
  REFERRAL_CATEGORIES,
  type Referral,
  type ReferralCategory,
  ReferralInputSchema,
} from "../../../../shared/protocol/http/index.ts";
import { LANGUAGES, type Language } from "../../../../shared/protocol/index.ts";
import { TextField } from "../../components/field.tsx";
import { useServices } from "../../components/services.tsx";
import { useLoad } from "../../components/use-load.ts";
import { useT } from "../../i18n/i18n-context.tsx";
import type { ErrorCode } from "../../state/errors.ts";
import { type FieldErrors, fieldErrors } from "../../state/form-errors.ts";

type Draft = {
  id: string | null;
  language: Language;
  name: string;
  category: ReferralCategory;
  description: string;
  contact: string;
  howToPrepare: string;
};
const blank: Draft = {
  id: null,
  language: "en",
  name: "",
  category: "legal-aid",
  description: "",
  contact: "",
  howToPrepare: "",
};

/** The referral directory: who they are, what they do, how to reach them, what to prepare. */
export function ReferralsAdmin() {
  const t = useT();
  const { api } = useServices();
  const loaded = useLoad(() => api.referrals());
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ErrorCode | null>(null);
  const list: readonly Referral[] = loaded.state.type === "ready" ? loaded.state.value.referrals : [];
  const fe = (f: string) => (errors[f] ? t(`fieldError.${errors[f]}`) : null);

  return (
    <section aria-labelledby="referrals-admin-title">
      <h2 id="referrals-admin-title">{t("admin.referrals")}</h2>
      {error ? (
        <p class="error" role="alert">
          {t(`error.${error}`)}
        </p>
      ) : null}
      <table>
        <caption class="visually-hidden">{t("admin.referrals")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("referrals.name")}</th>
            <th scope="col">{t("referrals.category")}</th>
            <th scope="col">{t("queue.language")}</th>
            <th scope="col">{t("referrals.contact")}</th>
            <th scope="col">{t("queue.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.id}>
              <th scope="row" lang={r.language}>
                {r.name} {r.needsVerification ? <span class="badge">{t("referrals.unverified")}</span> : null}
              </th>
              <td>{t(`referralCategory.${r.category}`)}</td>
              <td>{t(`language.${r.language}`)}</td>
              <td>{r.contact}</td>
              <td class="row-actions">
                <button
                  type="button"
                  onClick={() => {
                    const { needsVerification: _, ...fields } = r;
                    setErrors({});
                    setDraft(fields);
                  }}
                >
                  {t("common.edit")}
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={async () => {
                    const res = await api.deleteReferral(r.id);
                    setError(res.ok ? null : res.error);
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
          aria-label={t("referrals.edit")}
          onSubmit={async (e) => {
            e.preventDefault();
            const { id, ...body } = draft;
            const trimmed = {
              ...body,
              name: body.name.trim(),
              description: body.description.trim(),
              contact: body.contact.trim(),
              howToPrepare: body.howToPrepare.trim(),
            };
            const found = fieldErrors(ReferralInputSchema, trimmed);
            setErrors(found);
            if (Object.keys(found).length > 0) return;
            const res = id ? await api.updateReferral(id, trimmed) : await api.createReferral(trimmed);
            setError(res.ok ? null : res.error);
            if (res.ok) {
              setDraft(null);
              await loaded.reload();
            }
          }}
        >
          <div class="grid-2">
            <div class="field">
              <label for="referral-language">{t("queue.language")}</label>
              <select
                id="referral-language"
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
            <div class="field">
              <label for="referral-category">{t("referrals.category")}</label>
              <select
                id="referral-category"
                value={draft.category}
                onChange={(e) => setDraft({ ...draft, category: e.currentTarget.value as ReferralCategory })}
              >
                {REFERRAL_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`referralCategory.${c}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <TextField
            label={t("referrals.name")}
            value={draft.name}
            error={fe("name")}
            onInput={(v) => setDraft({ ...draft, name: v })}
          />
          <TextField
            label={t("referrals.description")}
            multiline
            value={draft.description}
            error={fe("description")}
            onInput={(v) => setDraft({ ...draft, description: v })}
          />
          <TextField
            label={t("referrals.contact")}
            value={draft.contact}
            error={fe("contact")}
            onInput={(v) => setDraft({ ...draft, contact: v })}
          />
          <TextField
            label={t("referrals.prepare")}
            multiline
            value={draft.howToPrepare}
            error={fe("howToPrepare")}
            onInput={(v) => setDraft({ ...draft, howToPrepare: v })}
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
          {t("referrals.add")}
        </button>
      )}
    </section>
  );
}
