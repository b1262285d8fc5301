import { useState } from "preact/hooks";
import { Dialog } from "../components/dialog.tsx";
import { TextField } from "../components/field.tsx";
import { useServices, useWorkspace } from "../components/services.tsx";
import { useT } from "../i18n/i18n-context.tsx";
import { checkNewPassword, MIN_PASSWORD_CHARS } from "../state/auth.ts";
import type { ErrorCode } from "../state/errors.ts";

/** Changes the password: keys are re-wrapped in the worker; nothing is re-generated. */
export function PasswordDialog(props: Readonly<{ onClose: () => void }>) {
  const t = useT();
  const { session } = useServices();
  const ws = useWorkspace();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<ErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  return (
    <Dialog title={t("password.title")} onClose={props.onClose}>
      {done ? (
        <>
          <p role="status">{t("password.done")}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={props.onClose}>
              {t("common.done")}
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const check = checkNewPassword(next, repeat);
            if (check !== "ok") {
              setError(check);
              return;
            }
            setBusy(true);
            const r = await session.changePassword(ws.profile, current, next);
            setBusy(false);
            setCurrent("");
            if (r.ok) setDone(true);
            else setError(r.error === "invalid-credentials" ? "wrong-password" : r.error);
          }}
        >
          {/* Lets password managers pair the new password with this account. */}
          <input
            type="text"
            name="username"
            autoComplete="username"
            value={ws.profile.staff.username}
            readOnly
            hidden
          />
          <TextField
            label={t("password.current")}
            type="password"
            value={current}
            onInput={setCurrent}
            autoComplete="current-password"
            required
          />
          <TextField
            label={t("field.newPassword")}
            type="password"
            value={next}
            onInput={setNext}
            autoComplete="new-password"
            hint={t("setup.passwordHint", { min: MIN_PASSWORD_CHARS })}
            required
          />
          <TextField
            label={t("field.repeatPassword")}
            type="password"
            value={repeat}
            onInput={setRepeat}
            autoComplete="new-password"
            required
          />
          {error ? (
            <p class="error" role="alert">
              {t(`error.${error}`, { min: MIN_PASSWORD_CHARS })}
            </p>
          ) : null}
          <div class="actions">
            <button type="button" onClick={props.onClose}>
              {t("common.cancel")}
            </button>
            <button type="submit" class="primary" disabled={busy}>
              {t("password.submit")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
