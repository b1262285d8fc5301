import { useState } from "preact/hooks";
import { TextField } from "../components/field.tsx";
import { useServices } from "../components/services.tsx";
import { useT } from "../i18n/i18n-context.tsx";
import { NewPasswordFields, useNewPassword } from "../components/new-password-fields.tsx";
import type { ErrorCode } from "../state/errors.ts";
import { ErrorAlert } from "../components/error-alert.tsx";

/** An invited member sets a password; the browser makes the identity key; an admin certifies it. */
export function EnrollScreen() {
  const t = useT();
  const { session } = useServices();
  const [username, setUsername] = useState("");
  const [code, setCode] = useState("");
  const newPassword = useNewPassword();
  const [error, setError] = useState<ErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  if (done) {
    return (
      <main class="auth-screen">
        <section class="card auth-card" aria-labelledby="enroll-done">
          <h1 id="enroll-done">{t("enroll.doneTitle")}</h1>
          <p>{t("enroll.done")}</p>
          <a href="#/chats">{t("enroll.toLogin")}</a>
        </section>
      </main>
    );
  }
  return (
    <main class="auth-screen">
      <form
        class="card auth-card"
        aria-labelledby="enroll-title"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!newPassword.accept()) return;
          setBusy(true);
          setError(null);
          const result = await session.enroll(username, code, newPassword.password);
          setBusy(false);
          if (result.ok) setDone(true);
          else setError(result.error);
        }}
      >
        <h1 id="enroll-title">{t("enroll.title")}</h1>
        <p>{t("enroll.intro")}</p>
        <TextField
          label={t("field.username")}
          value={username}
          onInput={setUsername}
          autoComplete="username"
          required
        />
        <TextField label={t("field.inviteCode")} value={code} onInput={setCode} required />
        <NewPasswordFields {...newPassword.fields} />
        <ErrorAlert error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("setup.working") : t("enroll.submit")}
        </button>
        <a href="#/chats">{t("enroll.toLogin")}</a>
      </form>
    </main>
  );
}
