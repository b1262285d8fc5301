import { useState } from "preact/hooks";
import { useT } from "../i18n/i18n-context.tsx";
import { checkNewPassword, MIN_PASSWORD_CHARS, type PasswordCheck } from "../state/auth.ts";
import { TextField } from "./field.tsx";

/**
 * The state behind NewPasswordFields (spread `fields` into them). `accept()`, on submit, checks
 * the two entries, shows a failure at its field, and says whether `password` may be used.
 */
export function useNewPassword() {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [check, setCheck] = useState<Exclude<PasswordCheck, "ok"> | null>(null);
  return {
    password,
    fields: { password, repeat, onPassword: setPassword, onRepeat: setRepeat, check },
    accept: (): boolean => {
      const result = checkNewPassword(password, repeat);
      setCheck(result === "ok" ? null : result);
      return result === "ok";
    },
  };
}

/**
 * "New password" and "Repeat the password", as setup, enrollment and the password change ask
 * for them: the length rule as a hint, and a failed check shown at the field it is about.
 */
export function NewPasswordFields(
  props: Readonly<{
    password: string;
    repeat: string;
    onPassword: (value: string) => void;
    onRepeat: (value: string) => void;
    /** The last failed check, or null. */
    check: Exclude<PasswordCheck, "ok"> | null;
  }>,
) {
  const t = useT();
  return (
    <>
      <TextField
        label={t("field.newPassword")}
        type="password"
        value={props.password}
        onInput={props.onPassword}
        autoComplete="new-password"
        hint={t("setup.passwordHint", { min: MIN_PASSWORD_CHARS })}
        error={
          props.check === "password-too-short"
            ? t("error.password-too-short", { min: MIN_PASSWORD_CHARS })
            : null
        }
        required
      />
      <TextField
        label={t("field.repeatPassword")}
        type="password"
        value={props.repeat}
        onInput={props.onRepeat}
        autoComplete="new-password"
        error={props.check === "password-mismatch" ? t("error.password-mismatch") : null}
        required
      />
    </>
  );
}
