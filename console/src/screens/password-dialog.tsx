import { useState } from "preact/hooks";
import { Dialog } from "../components/dialog.tsx";
import { TextField } from "../components/field.tsx";
import { useServices, useWorkspace } from "../components/services.tsx";
import { useT } from "../i18n/i18n-context.tsx";
import { NewPasswordFields, useNewPassword } from "../components/new-password-fields.tsx";
import type { ErrorCode } from "../state/errors.ts";
import { ErrorAlert } from "../components/error-alert.tsx";
import { FormActions } from "../components/form-actions.tsx";

/** Changes the password: keys are re-wrapped in the worker; nothing is re-generated. */
export function PasswordDialog(props: Readonly<{ onClose: () => void }>) {
  const t = useT();
  const { session } = useServices();
  const ws = useWorkspace();
  const [current, setCurrent] = useState("");
  const newPassword = useNewPassword();
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
            if (!newPassword.accept()) return;
            setBusy(true);
            const r = await session.changePassword(ws.profile, current, newPassword.password);
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
          <NewPasswordFields {...newPassword.fields} />
          <ErrorAlert error={error} />
          <FormActions submit={t("password.submit")} disabled={busy} onCancel={props.onClose} />
        </form>
      )}
    </Dialog>
  );
}
