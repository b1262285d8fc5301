import { useState } from "preact/hooks";
import { notificationsAvailable } from "../adapters/notifier.ts";
import { useT } from "../i18n/i18n-context.tsx";

/** Browsers ask for notification permission only after a click, so the console offers one. */
export function NotifyButton() {
  const t = useT();
  const [permission, setPermission] = useState(notificationsAvailable() ? Notification.permission : "denied");
  if (permission !== "default") return null;
  return (
    <button type="button" onClick={async () => setPermission(await Notification.requestPermission())}>
      {t("app.enableNotifications")}
    </button>
  );
}
