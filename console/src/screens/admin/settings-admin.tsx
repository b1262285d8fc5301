import { useState } from "preact/hooks";
import { TextField } from "../../components/field.tsx";
import { useServices } from "../../components/services.tsx";
import { useLoad } from "../../components/use-load.ts";
import { useT } from "../../i18n/i18n-context.tsx";
import type { ErrorCode } from "../../state/errors.ts";

/** Helpline-wide settings: the default number of simultaneous chats per counselor. */
export function SettingsAdmin() {
  const t = useT();
  const { api } = useServices();
  const loaded = useLoad(() => api.settings());
  const [limit, setLimit] = useState<string | null>(null);
  const [status, setStatus] = useState<ErrorCode | "saved" | "invalid" | null>(null);
  if (loaded.state.type === "loading") return <p>{t("common.loading")}</p>;
  if (loaded.state.type === "error") return <p class="error">{t(`error.${loaded.state.error}`)}</p>;
  const value = limit ?? String(loaded.state.value.chatLimit);
  return (
    <form
      aria-labelledby="settings-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 10) {
          setStatus("invalid");
          return;
        }
        const r = await api.saveSettings({ chatLimit: n });
        setStatus(r.ok ? "saved" : r.error);
      }}
    >
      <h2 id="settings-title">{t("admin.settings")}</h2>
      <TextField
        label={t("settings.chatLimit")}
        hint={t("settings.chatLimitHint")}
        type="number"
        value={value}
        onInput={(v) => {
          setLimit(v);
          // "Saved." describes the value that was saved, not one being typed.
          if (status === "saved") setStatus(null);
        }}
        error={status === "invalid" ? t("fieldError.invalid") : null}
      />
      {status && status !== "invalid" ? (
        <p class={status === "saved" ? "notice" : "error"} role="status">
          {status === "saved" ? t("common.saved") : t(`error.${status}`)}
        </p>
      ) : null}
      <button type="submit" class="primary">
        {t("common.save")}
      </button>
    </form>
  );
}
