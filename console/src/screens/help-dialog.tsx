import { Dialog } from "../components/dialog.tsx";
import { useT } from "../i18n/i18n-context.tsx";
import { SHORTCUT_HELP } from "../state/shortcuts.ts";

export function HelpDialog(props: Readonly<{ onClose: () => void }>) {
  const t = useT();
  return (
    <Dialog title={t("help.title")} onClose={props.onClose}>
      <table>
        <caption class="visually-hidden">{t("help.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("help.keys")}</th>
            <th scope="col">{t("help.action")}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUT_HELP.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd dir="ltr">{s.keys}</kbd>
              </td>
              <td>{t(s.action)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
