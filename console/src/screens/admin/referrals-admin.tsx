import {
  REFERRAL_CATEGORIES,
  type Referral,
  type ReferralCategory,
  ReferralInputSchema,
} from "../../../../shared/protocol/http/index.ts";
import { LANGUAGES, type Language } from "../../../../shared/protocol/index.ts";
import { TextField } from "../../components/field.tsx";
import { ItemTable, ListEditor, SelectField, useListEditor } from "../../components/list-editor.tsx";
import { useServices } from "../../components/services.tsx";
import { loadError, useLoad } from "../../components/use-load.ts";
import { useT } from "../../i18n/i18n-context.tsx";

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
  const editor = useListEditor<Draft>(loaded.reload);
  const { draft } = editor;
  const list: readonly Referral[] = loaded.state.type === "ready" ? loaded.state.value.referrals : [];

  return (
    <ListEditor
      titleId="referrals-admin-title"
      title={t("admin.referrals")}
      editor={editor}
      loadError={loadError(loaded.state)}
      formLabel={t("referrals.edit")}
      addLabel={t("referrals.add")}
      onAdd={() => editor.open(blank)}
      onSave={() => {
        if (!draft) return;
        const { id, ...body } = draft;
        const trimmed = {
          ...body,
          name: body.name.trim(),
          description: body.description.trim(),
          contact: body.contact.trim(),
          howToPrepare: body.howToPrepare.trim(),
        };
        void editor.save(ReferralInputSchema, trimmed, () =>
          id ? api.updateReferral(id, trimmed) : api.createReferral(trimmed),
        );
      }}
      fields={
        draft ? (
          <>
            <div class="grid-2">
              <SelectField
                id="referral-language"
                label={t("queue.language")}
                value={draft.language}
                options={LANGUAGES}
                optionLabel={(l) => t(`language.${l}`)}
                onChange={(language) => editor.change({ ...draft, language })}
              />
              <SelectField
                id="referral-category"
                label={t("referrals.category")}
                value={draft.category}
                options={REFERRAL_CATEGORIES}
                optionLabel={(c) => t(`referralCategory.${c}`)}
                onChange={(category) => editor.change({ ...draft, category })}
              />
            </div>
            <TextField
              label={t("referrals.name")}
              value={draft.name}
              error={editor.fieldError("name")}
              onInput={(v) => editor.change({ ...draft, name: v })}
            />
            <TextField
              label={t("referrals.description")}
              multiline
              value={draft.description}
              error={editor.fieldError("description")}
              onInput={(v) => editor.change({ ...draft, description: v })}
            />
            <TextField
              label={t("referrals.contact")}
              value={draft.contact}
              error={editor.fieldError("contact")}
              onInput={(v) => editor.change({ ...draft, contact: v })}
            />
            <TextField
              label={t("referrals.prepare")}
              multiline
              value={draft.howToPrepare}
              error={editor.fieldError("howToPrepare")}
              onInput={(v) => editor.change({ ...draft, howToPrepare: v })}
            />
          </>
        ) : null
      }
    >
      <ItemTable
        caption={t("admin.referrals")}
        columns={[t("referrals.name"), t("referrals.category"), t("queue.language"), t("referrals.contact")]}
        items={list}
        name={(r) => r.name}
        cells={(r) => (
          <>
            <th scope="row" lang={r.language}>
              {r.name} {r.needsVerification ? <span class="badge">{t("referrals.unverified")}</span> : null}
            </th>
            <td>{t(`referralCategory.${r.category}`)}</td>
            <td>{t(`language.${r.language}`)}</td>
            <td>{r.contact}</td>
          </>
        )}
        onEdit={({ needsVerification: _, ...fields }) => editor.open(fields)}
        onDelete={(r) => void editor.remove(() => api.deleteReferral(r.id))}
      />
    </ListEditor>
  );
}
