import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Language } from "../../shared/protocol/envelopes.ts";
import { LANGUAGES } from "../../shared/protocol/limits.ts";
import type { Actions } from "./actions.ts";
import { TopBar } from "./components/top-bar.tsx";
import { type Catalogue, DIRECTION, loadCatalogue, loadedCatalogue } from "./i18n/catalogue.ts";
import { ChatScreen } from "./screens/chat.tsx";
import { ClosedScreen } from "./screens/closed.tsx";
import { EndedScreen } from "./screens/ended.tsx";
import { LoadingScreen } from "./screens/loading.tsx";
import { StartScreen } from "./screens/start.tsx";
import { WaitingScreen } from "./screens/waiting.tsx";
import type { Screen, State } from "./state/types.ts";

export type Clock = Readonly<{ now: number; localOffset: number }>;

/**
 * The language the view is shown in and its words: the state's language once its catalogue has
 * arrived (fetched here if need be); until then the language last shown, so a switch never shows
 * a half-translated or empty view. `main.tsx` renders only once the first catalogue is here.
 */
function useCatalogue(language: Language): Readonly<{ language: Language; t: Catalogue }> | null {
  const [, setArrived] = useState(0);
  const shown = useRef<Language | null>(null);
  const t = loadedCatalogue(language);
  useEffect(() => {
    if (t) return;
    let live = true;
    loadCatalogue(language).then(
      () => live && setArrived((n) => n + 1),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [language, t]);
  if (t) {
    shown.current = language;
    return { language, t };
  }
  const fallback = shown.current ?? LANGUAGES.find((code) => loadedCatalogue(code));
  const words = fallback ? loadedCatalogue(fallback) : undefined;
  return fallback && words ? { language: fallback, t: words } : null;
}

/** The whole frame view: a function of the state. */
export function App({ state, actions, clock }: Readonly<{ state: State; actions: Actions; clock: Clock }>) {
  const view = useCatalogue(state.language);
  const language = view?.language ?? state.language;
  // On <html>, so the whole document (and the browser's font choice for Urdu) follows; before
  // paint, so the mirrored layout never flashes the wrong way round.
  useLayoutEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = DIRECTION[language];
  }, [language]);
  if (state.screen.type === "blank" || !view) return null;
  const shown = language === state.language ? state : { ...state, language };
  return (
    <div class="frame">
      <TopBar
        t={view.t}
        language={state.language}
        languages={state.config?.languages ?? LANGUAGES}
        actions={actions}
      />
      {/* The screen type lets the chat screen keep its controls fixed and scroll only the transcript. */}
      <main class={`main on-${state.screen.type}`}>
        <ScreenView state={shown} screen={state.screen} actions={actions} clock={clock} t={view.t} />
      </main>
    </div>
  );
}

function ScreenView({
  state,
  screen,
  actions,
  clock,
  t,
}: Readonly<{ state: State; screen: Screen; actions: Actions; clock: Clock; t: Catalogue }>) {
  switch (screen.type) {
    case "loading":
    case "blank":
      return <LoadingScreen t={t} />;
    case "closed":
      return (
        <ClosedScreen
          t={t}
          language={state.language}
          config={state.config}
          now={clock.now}
          localOffset={clock.localOffset}
        />
      );
    case "start":
      return <StartScreen t={t} forWhom={state.forWhom} error={screen.error} actions={actions} />;
    case "waiting":
      return (
        <WaitingScreen
          t={t}
          language={state.language}
          config={state.config}
          now={clock.now}
          localOffset={clock.localOffset}
          waiting={screen}
          actions={actions}
        />
      );
    case "chat":
      return <ChatScreen t={t} language={state.language} session={screen.session} actions={actions} />;
    case "ended":
      return (
        <EndedScreen
          t={t}
          language={state.language}
          config={state.config}
          reason={screen.reason}
          actions={actions}
        />
      );
    default: {
      const never: never = screen;
      return never;
    }
  }
}
