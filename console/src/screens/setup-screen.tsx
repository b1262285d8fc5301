import { useState } from "preact/hooks";
import { ErrorAlert } from "../components/error-alert.tsx";
import { TextField } from "../components/field.tsx";
import { useT } from "../i18n/i18n-context.tsx";
import { NewPasswordFields, useNewPassword } from "../components/new-password-fields.tsx";
import type { ErrorCode } from "../state/errors.ts";

export type SetupProps = Readonly<{
  busy: boolean;
  error: ErrorCode | null;
  onSubmit: (setupCode: string, username: string, displayName: string, password: string) => void;
}>;

/** First run: the org root key and the first admin are made in this browser. */
export function SetupScreen(props: SetupProps) {
  const t = useT();
  const [code, setCode] = useState("");
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const newPassword = useNewPassword();
  return (
    <main class="auth-screen">
      <form
        class="card auth-card"
        aria-labelledby="setup-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (!newPassword.accept()) return;
          props.onSubmit(code.trim(), username, displayName.trim(), newPassword.password);
        }}
      >
        <h1 id="setup-title">{t("setup.title")}</h1>
        <p>{t("setup.intro")}</p>
        {/* Threat: a stranger who reaches a fresh server first; only its operator sees this code. */}
        <TextField
          label={t("setup.code")}
          hint={t("setup.codeHint")}
          value={code}
          onInput={setCode}
          error={props.error === "invalid-setup-code" ? t("error.invalid-setup-code") : null}
          autoComplete="off"
          required
        />
        <TextField
          label={t("field.username")}
          value={username}
          onInput={setUsername}
          autoComplete="username"
          required
        />
        <TextField label={t("field.displayName")} value={displayName} onInput={setDisplayName} required />
        <NewPasswordFields {...newPassword.fields} />
        <ErrorAlert error={props.error === "invalid-setup-code" ? null : props.error} />
        <button type="submit" class="primary" disabled={props.busy}>
          {props.busy ? t("setup.working") : t("setup.submit")}
        </button>
      </form>
    </main>
  );
}
