import { useCallback, useEffect, useReducer, useRef, useState } from "preact/hooks";
import type { StaffStatus } from "../../shared/protocol/index.ts";
import type { StaffTransport } from "./adapters/staff-socket.ts";
import { openWorkspace } from "./adapters/workspace.ts";
import { emitCommand } from "./components/commands.ts";
import { ErrorAlert } from "./components/error-alert.tsx";
import { NotifyButton } from "./components/notify-button.tsx";
import {
  type Services,
  ServicesContext,
  useServices,
  useWorkspace as useWorkspaceOrThrow,
  type Workspace,
  WorkspaceContext,
} from "./components/services.tsx";
import { useStore } from "./components/use-store.ts";
import type { CryptoClient } from "./crypto/crypto-client.ts";
import { I18nProvider, useT } from "./i18n/i18n-context.tsx";
import { direction, type UiLanguage } from "./i18n/translate.ts";
import { AdminScreen } from "./screens/admin-screen.tsx";
import { ChatsScreen } from "./screens/chats-screen.tsx";
import { EnrollScreen } from "./screens/enroll-screen.tsx";
import { HelpDialog } from "./screens/help-dialog.tsx";
import { LoginScreen } from "./screens/login-screen.tsx";
import { PasswordDialog } from "./screens/password-dialog.tsx";
import { SetupScreen } from "./screens/setup-screen.tsx";
import { SideDock } from "./screens/side-dock.tsx";
import { StatsScreen } from "./screens/stats-screen.tsx";
import { StatusControl } from "./screens/status-control.tsx";
import { SuperviseScreen } from "./screens/supervise-screen.tsx";
import { TopBar } from "./screens/top-bar.tsx";
import { authReducer, initialAuth, type LockReason } from "./state/auth.ts";
import { totalUnread } from "./state/chats.ts";
import { IDLE_LOCK_MS, idleVerdict } from "./state/idle.ts";
import { certificateExpiry } from "./state/certificate-expiry.ts";
import type { NotifyEvent } from "./state/notify-policy.ts";
import { allowedRoute, parseRoute, type Route } from "./state/route.ts";
import { matchShortcut } from "./state/shortcuts.ts";
import { todayIn } from "./state/stats-view.ts";
import { titleWithBadge } from "./state/title-badge.ts";

export type AppProps = Readonly<{
  services: Services;
  crypto: CryptoClient;
  connect: () => StaffTransport;
  notify: (t: ReturnType<typeof useT>) => (event: NotifyEvent) => void;
  idleLockMs?: number;
}>;

export function App(props: AppProps) {
  const [language, setLanguage] = useState<UiLanguage>("en");
  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = direction(language);
  }, [language]);
  return (
    <ServicesContext.Provider value={props.services}>
      <I18nProvider language={language} setLanguage={setLanguage}>
        <Shell {...props} />
      </I18nProvider>
    </ServicesContext.Provider>
  );
}

function useHashRoute(): Route {
  const [route, setRoute] = useState(parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

function Shell(props: AppProps) {
  const t = useT();
  const { api, session, now } = props.services;
  const [auth, dispatch] = useReducer(authReducer, initialAuth);
  const [open, setOpen] = useState<{ workspace: Workspace; close: () => void } | null>(null);
  const [help, setHelpState] = useState(false);
  // Read by the key handler at once: an Escape pressed right after Alt+H finds Help open even
  // before the re-render has attached a new handler.
  const helpOpen = useRef(false);
  const setHelp = useCallback((open: boolean) => {
    helpOpen.current = open;
    setHelpState(open);
  }, []);
  const [idleWarning, setIdleWarning] = useState<number | null>(null);
  const route = useHashRoute();
  const lastActivity = useRef(now());
  const notifyRef = useRef(props.notify(t));
  notifyRef.current = props.notify(t);

  useEffect(() => {
    void api
      .setupStatus()
      .then((r) =>
        dispatch(
          r.ok
            ? { type: "setup-status", needed: r.value.needed }
            : { type: "setup-status-failed", error: r.error },
        ),
      );
  }, [api]);

  // What the counselor had chosen when a restart forced a new login: restored once connected,
  // so nobody believes they are on duty while the relay has them as away (or the reverse).
  const restoreStatus = useRef<StaffStatus | undefined>(undefined);
  const lock = useCallback(
    async (reason: LockReason) => {
      setOpen((current) => {
        const wanted = current?.workspace.wellbeing.getState().wanted;
        restoreStatus.current = reason === "restarted" && wanted === "available" ? wanted : undefined;
        current?.close();
        return null;
      });
      dispatch({ type: "locked", reason });
      await session.lock(reason === "logout");
    },
    [session],
  );

  const enter = async (unlocked: Parameters<typeof openWorkspace>[0]) => {
    const opened = await openWorkspace(unlocked, {
      services: props.services,
      crypto: props.crypto,
      connect: props.connect,
      notify: (e) => notifyRef.current(e),
      isVisible: () => document.visibilityState !== "hidden",
      ...(restoreStatus.current ? { wantedStatus: restoreStatus.current } : {}),
    });
    restoreStatus.current = undefined;
    opened.transport.on("error", (e) => {
      if (e.code === "unauthenticated" || e.code === "revoked") void lock("expired");
    });
    setOpen({ workspace: opened.workspace, close: opened.close });
    lastActivity.current = now();
    dispatch({ type: "unlocked", session: unlocked.session });
  };

  // Idle lock: an unattended console must not keep decrypted chats and unwrapped keys.
  useEffect(() => {
    if (auth.type !== "unlocked") return;
    const mark = () => {
      lastActivity.current = now();
    };
    const events = ["keydown", "pointerdown", "wheel", "touchstart"] as const;
    for (const e of events) addEventListener(e, mark, { passive: true });
    const id = setInterval(() => {
      const verdict = idleVerdict(lastActivity.current, now(), props.idleLockMs ?? IDLE_LOCK_MS);
      setIdleWarning(verdict.type === "warning" ? Math.ceil(verdict.remainingMs / 1000) : null);
      if (verdict.type === "lock") void lock("idle");
    }, 5000);
    return () => {
      for (const e of events) removeEventListener(e, mark);
      clearInterval(id);
    };
  }, [auth.type, lock, now, props.idleLockMs]);

  // A page being closed or reloaded wipes the keys (the reload then asks for the password).
  useEffect(() => {
    const onHide = () => {
      open?.close();
      props.crypto.terminate();
    };
    // A page restored from the back/forward cache would show a frozen desk with a dead worker
    // (and, if frozen before the wipe re-rendered, chat text): start over instead.
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) location.reload();
    };
    addEventListener("pagehide", onHide);
    addEventListener("pageshow", onShow);
    return () => {
      removeEventListener("pagehide", onHide);
      removeEventListener("pageshow", onShow);
    };
  }, [open, props.crypto]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const inField = Boolean(target?.closest?.("input, textarea, select, [contenteditable]"));
      // Fields are copied one by one: a KeyboardEvent's properties live on its prototype, so an
      // object spread would copy none of them (and every Alt shortcut would read altKey as undefined).
      const action = matchShortcut({
        code: e.code,
        key: e.key,
        altKey: e.altKey,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        shiftKey: e.shiftKey,
        inField,
      });
      if (!action) return;
      if (action.type === "help") {
        setHelp(true);
        e.preventDefault();
        return;
      }
      if (action.type === "close-dialog" && helpOpen.current) {
        setHelp(false);
        return;
      }
      if (action.type === "send") return; // the composer handles its own Ctrl+Enter
      if (emitCommand(action)) e.preventDefault();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [setHelp]);

  const helpDialog = help ? <HelpDialog onClose={() => setHelp(false)} /> : null;

  if (route.type === "enroll" && auth.type !== "unlocked") {
    return (
      <>
        <TopBar profile={null} route={route} connected={null} onHelp={() => setHelp(true)} />
        <EnrollScreen />
        {helpDialog}
      </>
    );
  }

  switch (auth.type) {
    case "checking":
      return <p class="loading">{t("common.loading")}</p>;
    case "unavailable":
      return <ErrorAlert error={auth.error} />;
    case "setup":
      return (
        <>
          <TopBar profile={null} route={route} connected={null} onHelp={() => setHelp(true)} />
          <SetupScreen
            busy={auth.busy}
            error={auth.error}
            onSubmit={async (setupCode, username, displayName, password) => {
              dispatch({ type: "submitted" });
              const r = await session.setup(setupCode, username, displayName, password);
              if (!r.ok) {
                dispatch({ type: "failed", error: r.error });
                return;
              }
              dispatch({ type: "setup-done" });
              await enter(r.value);
            }}
          />
          {helpDialog}
        </>
      );
    case "login":
      return (
        <>
          <TopBar profile={null} route={route} connected={null} onHelp={() => setHelp(true)} />
          <LoginScreen
            busy={auth.busy}
            error={auth.error}
            reason={auth.reason}
            onSubmit={async (username, password) => {
              dispatch({ type: "submitted" });
              const r = await session.login(username, password);
              if (r.ok) await enter(r.value);
              else dispatch({ type: "failed", error: r.error });
            }}
          />
          {helpDialog}
        </>
      );
    case "unlocked":
      return open ? (
        <WorkspaceContext.Provider value={open.workspace}>
          <Desk
            route={route}
            onLock={() => void lock("logout")}
            onLoginAgain={() => void lock("restarted")}
            onUseHere={() => void lock("replaced")}
            onHelp={() => setHelp(true)}
          />
          {idleWarning !== null ? (
            <p class="notice banner idle-warning" role="alert">
              {t("app.idleWarning", { seconds: idleWarning })}
            </p>
          ) : null}
          {helpDialog}
        </WorkspaceContext.Provider>
      ) : null;
    default: {
      const never: never = auth;
      return never;
    }
  }
}

function Desk(
  props: Readonly<{
    route: Route;
    onLock: () => void;
    onLoginAgain: () => void;
    onUseHere: () => void;
    onHelp: () => void;
  }>,
) {
  const t = useT();
  const [password, setPassword] = useState(false);
  const { now } = useServices();
  const ws = useWorkspaceOrThrow();
  const chats = useStore(ws.chats);
  const desk = useStore(ws.desk);
  const route = allowedRoute(props.route, ws.profile.staff.role);
  // Waiting visitors count while Away too: the title is how a counselor on another tab sees them.
  const badge =
    totalUnread(chats) + chats.chats.filter((c) => c.phase === "connecting").length + desk.queue.length;
  const ownExpiry = certificateExpiry(ws.profile.keys.certificate, now());
  useEffect(() => {
    document.title = titleWithBadge(t("app.name"), badge);
  }, [badge, t]);
  return (
    <>
      <TopBar
        profile={ws.profile}
        route={route}
        connected={desk.loginLost || desk.replaced ? null : desk.connected}
        status={
          <>
            <NotifyButton />
            <StatusControl />
            <button type="button" onClick={() => setPassword(true)}>
              {t("password.title")}
            </button>
          </>
        }
        onLogout={props.onLock}
        onHelp={props.onHelp}
      />
      {desk.loginLost ? (
        <div class="notice banner login-lost" role="alert">
          <p>{t("app.loginLost")}</p>
          <button type="button" class="primary" onClick={props.onLoginAgain}>
            {t("app.loginAgain")}
          </button>
        </div>
      ) : desk.replaced ? (
        <div class="notice banner login-lost" role="alert">
          <p>{t("app.replaced")}</p>
          <button type="button" class="primary" onClick={props.onUseHere}>
            {t("app.useHere")}
          </button>
        </div>
      ) : null}
      {ownExpiry?.type === "expired" ? (
        <p class="notice banner" role="alert">
          {t("app.certificateExpired")}
        </p>
      ) : !ws.certified ? (
        <p class="notice banner">{t("app.awaitingCertification")}</p>
      ) : ownExpiry?.type === "expiring" ? (
        <p class="notice banner">{t("app.certificateExpiring", { days: ownExpiry.daysLeft })}</p>
      ) : null}
      {route.type === "chats" || route.type === "enroll" ? <ChatsScreen /> : null}
      {route.type === "supervise" ? <SuperviseScreen /> : null}
      {route.type === "admin" ? <AdminScreen section={route.section} /> : null}
      {route.type === "stats" ? <StatsScreen today={todayIn(localTimeZone(), now())} now={now} /> : null}
      <SideDock />
      {password ? <PasswordDialog onClose={() => setPassword(false)} /> : null}
    </>
  );
}

function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
