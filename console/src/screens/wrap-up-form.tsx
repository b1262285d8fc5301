import { useReducer, useState } from "preact/hooks";
import {
  CALLER_TYPES,
  GENDERS,
  HARASSMENT_TYPES,
  OUTCOMES,
  PLATFORMS,
  REFERRAL_CATEGORIES,
  REGIONS,
} from "../../../shared/protocol/http/index.ts";
import { useServices, useWorkspace } from "../components/services.tsx";
import { useT } from "../i18n/i18n-context.tsx";
import type { Chat } from "../state/chats.ts";
import type { ErrorCode } from "../state/errors.ts";
import {
  type CallerType,
  type Gender,
  newWrapUp,
  type Platform,
  type Region,
  type RequiredField,
  wrapUpReducer,
  wrapUpRequest,
} from "../state/wrap-up.ts";
import { ErrorAlert } from "../components/error-alert.tsx";

/** After a chat ends: categories for anonymous statistics only. The conversation is already gone. */
export function WrapUpForm(props: Readonly<{ chat: Chat; onFiled: () => void }>) {
  const t = useT();
  const { api, now } = useServices();
  const ws = useWorkspace();
  const [form, dispatch] = useReducer(wrapUpReducer, undefined, () => newWrapUp(props.chat, now()));
  const [missing, setMissing] = useState<readonly RequiredField[]>([]);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const err = (field: RequiredField) => (missing.includes(field) ? `wrapup-${field}-error` : undefined);
  const required = (field: RequiredField) =>
    missing.includes(field) ? (
      <p class="error" id={`wrapup-${field}-error`}>
        {t("error.required")}
      </p>
    ) : null;

  const token = props.chat.wrapupToken;
  // No token came (the relay restarted, or the connection was lost as the chat ended): a wrap-up
  // could not be counted, so the counselor is told and closes the chat.
  if (token === null)
    return (
      <section class="wrap-up" aria-labelledby="wrapup-title">
        <h2 id="wrapup-title">{t("wrapup.title")}</h2>
        <p class="notice">
          {props.chat.endReason ? t(`ended.${props.chat.endReason}`) : null} {t("wrapup.erased")}
        </p>
        <p>{t("wrapup.noToken")}</p>
        <div class="actions">
          <button type="button" class="primary" onClick={() => ws.controller.close(props.chat.sessionId)}>
            {t("wrapup.close")}
          </button>
        </div>
      </section>
    );

  return (
    <form
      class="wrap-up"
      aria-labelledby="wrapup-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const result = wrapUpRequest(form);
        if (!result.ok) {
          setMissing(result.missing);
          return;
        }
        setMissing([]);
        setBusy(true);
        const sent = await api.wrapUp({ ...result.request, token });
        setBusy(false);
        if (!sent.ok) {
          setError(sent.error);
          return;
        }
        if (form.difficult) ws.wellbeing.dispatch({ type: "difficult-chat-ended" });
        ws.controller.close(props.chat.sessionId);
        props.onFiled();
      }}
    >
      <h2 id="wrapup-title">{t("wrapup.title")}</h2>
      <p class="notice">
        {props.chat.endReason ? t(`ended.${props.chat.endReason}`) : null} {t("wrapup.erased")}
      </p>
      <p class="hint">{t("wrapup.intro")}</p>
      <div class="grid-2">
        <div class="field">
          <label for="wrapup-platform">{t("wrapup.platform")}</label>
          <select
            id="wrapup-platform"
            value={form.platform ?? ""}
            aria-invalid={missing.includes("platform")}
            aria-describedby={err("platform")}
            onChange={(e) => dispatch({ type: "platform", value: e.currentTarget.value as Platform })}
          >
            <option value="" disabled>
              {t("common.choose")}
            </option>
            {PLATFORMS.map((p) => (
              <option key={p} value={p}>
                {t(`platform.${p}`)}
              </option>
            ))}
          </select>
          {required("platform")}
        </div>
      </div>
      <fieldset
        id="wrapup-harassment"
        aria-describedby={err("harassmentTypes")}
        aria-invalid={missing.includes("harassmentTypes")}
      >
        <legend>{t("wrapup.harassment")}</legend>
        {HARASSMENT_TYPES.map((h) => (
          <label key={h} class="checkbox">
            <input
              type="checkbox"
              checked={form.harassmentTypes.includes(h)}
              onChange={() => dispatch({ type: "toggle-harassment", value: h })}
            />
            {t(`harassment.${h}`)}
          </label>
        ))}
        {required("harassmentTypes")}
      </fieldset>
      <fieldset aria-describedby={err("callerType")} aria-invalid={missing.includes("callerType")}>
        <legend>{t("wrapup.caller")}</legend>
        {CALLER_TYPES.map((c) => (
          <label key={c} class="radio">
            <input
              type="radio"
              name="wrapup-caller"
              value={c}
              checked={form.callerType === c}
              onChange={() => dispatch({ type: "caller", value: c as CallerType })}
            />
            {t(`caller.${c}`)}
          </label>
        ))}
        {required("callerType")}
      </fieldset>
      <div class="grid-2">
        <div class="field">
          <label for="wrapup-region">{t("wrapup.region")}</label>
          <select
            id="wrapup-region"
            value={form.region ?? ""}
            onChange={(e) =>
              dispatch({ type: "region", value: (e.currentTarget.value || null) as Region | null })
            }
          >
            <option value="">{t("wrapup.notSaid")}</option>
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {t(`region.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="wrapup-gender">{t("wrapup.gender")}</label>
          <select
            id="wrapup-gender"
            value={form.gender ?? ""}
            onChange={(e) =>
              dispatch({ type: "gender", value: (e.currentTarget.value || null) as Gender | null })
            }
          >
            <option value="">{t("wrapup.notSaid")}</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {t(`gender.${g}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset>
        <legend>{t("wrapup.referrals")}</legend>
        {REFERRAL_CATEGORIES.map((r) => (
          <label key={r} class="checkbox">
            <input
              type="checkbox"
              checked={form.referrals.includes(r)}
              onChange={() => dispatch({ type: "toggle-referral", value: r })}
            />
            {t(`referralCategory.${r}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t("wrapup.outcomes")}</legend>
        {OUTCOMES.map((o) => (
          <label key={o} class="checkbox">
            <input
              type="checkbox"
              checked={form.outcomes.includes(o)}
              onChange={() => dispatch({ type: "toggle-outcome", value: o })}
            />
            {t(`outcome.${o}`)}
          </label>
        ))}
      </fieldset>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={form.followUp}
          onChange={(e) => dispatch({ type: "follow-up", value: e.currentTarget.checked })}
        />
        {t("wrapup.followUp")}
      </label>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={form.difficult}
          onChange={(e) => dispatch({ type: "difficult", value: e.currentTarget.checked })}
        />
        {t("wrapup.difficult")}
      </label>
      <ErrorAlert error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t("wrapup.submit")}
        </button>
      </div>
    </form>
  );
}
