import type { SessionInfo } from "../../../shared/protocol/http/index.ts";
import { useI18n } from "../i18n/i18n-context.tsx";
import { UI_LANGUAGES, type UiLanguage } from "../i18n/translate.ts";
import { type Route, routeHash } from "../state/route.ts";

type Props = Readonly<{
  profile: SessionInfo | null;
  route: Route;
  connected: boolean | null;
  status?: preact.ComponentChildren;
  onLogout?: () => void;
  onHelp: () => void;
}>;

/** Navigation by role, status, connection, language switch, help and lock. */
export function TopBar(props: Props) {
  const { t, language, setLanguage } = useI18n();
  const role = props.profile?.staff.role;
  const links: readonly (readonly [Route, string])[] = role
    ? [
        [{ type: "chats" }, t("nav.chats")],
        ...(role !== "counselor" ? ([[{ type: "supervise" }, t("nav.supervise")]] as const) : []),
        ...(role === "admin"
          ? ([
              [{ type: "admin", section: "staff" }, t("nav.admin")],
              [{ type: "stats" }, t("nav.stats")],
            ] as const)
          : []),
      ]
    : [];
  return (
    <header class="top-bar">
      <span class="brand">
        {t("app.name")}
        {props.profile ? <span class="who"> · {props.profile.staff.displayName}</span> : null}
      </span>
      {links.length > 0 ? (
        <nav aria-label={t("nav.main")}>
          {links.map(([route, label]) => (
            <a
              key={label}
              href={routeHash(route)}
              aria-current={route.type === props.route.type ? "page" : undefined}
            >
              {label}
            </a>
          ))}
        </nav>
      ) : null}
      <div class="top-bar-end">
        {props.status}
        {props.connected === false ? (
          <span class="badge offline" role="status">
            {t("app.reconnecting")}
          </span>
        ) : null}
        <label class="visually-hidden" for="ui-language">
          {t("app.language")}
        </label>
        <select
          id="ui-language"
          value={language}
          onChange={(e) => setLanguage(e.currentTarget.value as UiLanguage)}
        >
          {UI_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`uiLanguage.${l}`)}
            </option>
          ))}
        </select>
        <button type="button" onClick={props.onHelp} aria-keyshortcuts="Alt+H">
          {t("help.button")}
        </button>
        {props.onLogout ? (
          <button type="button" onClick={props.onLogout}>
            {t("app.lock")}
          </button>
        ) : null}
      </div>
    </header>
  );
}
