import { useT } from "../i18n/i18n-context.tsx";
import type { ErrorCode } from "../state/errors.ts";

/** A refusal or failure, in words, announced as it appears; nothing while there is none. */
export function ErrorAlert(props: Readonly<{ error: ErrorCode | null }>) {
  const t = useT();
  return props.error ? (
    <p class="error" role="alert">
      {t(`error.${props.error}`)}
    </p>
  ) : null;
}
