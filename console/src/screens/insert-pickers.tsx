import { useEffect, useState } from "preact/hooks";
import type { Language } from "../../../shared/protocol/index.ts";
import { Dialog } from "../components/dialog.tsx";
import { useWorkspace } from "../components/services.tsx";
import { useStore } from "../components/use-store.ts";
import { useT } from "../i18n/i18n-context.tsx";
import { referralText, searchCanned, searchReferrals } from "../state/canned-search.ts";

type PickerProps = Readonly<{
  language: Language;
  onInsert: (text: string) => void;
  onClose: () => void;
  /** After an insert, focus goes to the message box (so Ctrl+Enter sends what was inserted). */
  returnFocus: () => boolean;
}>;

function Search(props: Readonly<{ label: string; value: string; onInput: (v: string) => void }>) {
  return (
    <div class="field">
      <label for="picker-search">{props.label}</label>
      <input
        id="picker-search"
        type="search"
        value={props.value}
        autoComplete="off"
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </div>
  );
}

/** Canned responses, the chat's language first; choosing one inserts it into the composer. */
export function CannedPicker(props: PickerProps) {
  const t = useT();
  const ws = useWorkspace();
  const { canned } = useStore(ws.reference);
  // An admin may have edited the list since this console unlocked.
  useEffect(() => void ws.refresh("canned"), [ws]);
  const [query, setQuery] = useState("");
  const hits = searchCanned(canned, props.language, query);
  return (
    <Dialog title={t("canned.title")} onClose={props.onClose} returnFocus={props.returnFocus} side>
      <Search label={t("canned.search")} value={query} onInput={setQuery} />
      {hits.length === 0 ? <p class="empty">{t("common.noMatches")}</p> : null}
      <ul class="pick-list">
        {hits.map((c) => (
          <li key={c.id}>
            <button type="button" class="pick" lang={c.language} onClick={() => props.onInsert(c.body)}>
              <strong>{c.title}</strong>
              <span class="tab-meta">{t(`language.${c.language}`)}</span>
              <span class="pick-body">{c.body}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

/** The referral directory (FIA cyber crime wing, legal aid, ...): inserts name, contact and what to prepare. */
export function ReferralPicker(props: PickerProps) {
  const t = useT();
  const ws = useWorkspace();
  const { referrals } = useStore(ws.reference);
  useEffect(() => void ws.refresh("referrals"), [ws]);
  const [query, setQuery] = useState("");
  const hits = searchReferrals(referrals, props.language, query);
  return (
    <Dialog title={t("referrals.title")} onClose={props.onClose} returnFocus={props.returnFocus} side>
      <Search label={t("referrals.search")} value={query} onInput={setQuery} />
      {hits.length === 0 ? <p class="empty">{t("common.noMatches")}</p> : null}
      <ul class="pick-list">
        {hits.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              class="pick"
              lang={r.language}
              onClick={() =>
                props.onInsert(
                  referralText(r, { contact: t("referrals.contact"), prepare: t("referrals.prepare") }),
                )
              }
            >
              <strong>{r.name}</strong>
              <span class="tab-meta">{t(`referralCategory.${r.category}`)}</span>
              {r.needsVerification ? <span class="badge">{t("referrals.unverified")}</span> : null}
              <span class="pick-body">{r.description}</span>
              <span class="pick-body">{r.contact}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
