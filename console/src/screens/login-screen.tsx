import { useState } from "preact/hooks";
import { TextField } from "../components/field.tsx";
import { useT } from "../i18n/i18n-context.tsx";
import type { LockReason } from "../state/auth.ts";
import type { ErrorCode } from "../state/errors.ts";

export type LoginProps = Readonly<{
  busy: boolean;
  error: ErrorCode | null;
  reason: LockReason;
  onSubmit: (username: string, password: string) => void;
}>;

/** Password in, keys unlocked in the worker; the password is never kept after submit. */
export function LoginScreen(props: LoginProps) {
  const t = useT();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const notice =
    props.reason === "idle"
      ? t("login.lockedIdle")
      : props.reason === "expired"
        ? t("login.expired")
        : props.reason === "restarted"
          ? t("login.restarted")
          : props.reason === "replaced"
            ? t("login.replaced")
            : null;
  return (
    <main class="auth-screen">
      <form
        class="card auth-card"
        aria-labelledby="login-title"
        onSubmit={(e) => {
          e.preventDefault();
          const p = password;
          setPassword("");
          props.onSubmit(username, p);
        }}
      >
        <h1 id="login-title">{t("login.title")}</h1>
        {notice ? <p class="notice">{notice}</p> : null}
        <TextField
          label={t("field.username")}
          value={username}
          onInput={setUsername}
          autoComplete="username"
          required
        />
        <TextField
          label={t("field.password")}
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="current-password"
          required
          error={props.error ? t(`error.${props.error}`) : null}
        />
        <button type="submit" class="primary" disabled={props.busy}>
          {props.busy ? t("login.unlocking") : t("login.submit")}
        </button>
        <p class="hint">{t("login.keysHint")}</p>
        <p>
          <a href="#/enroll">{t("login.haveInvite")}</a>
        </p>
      </form>
    </main>
  );
}
