import { useLayoutEffect } from "preact/hooks";
import { LANGUAGES } from "../../shared/protocol/limits.ts";
import type { Actions } from "./actions.ts";
import { TopBar } from "./components/top-bar.tsx";
import { CATALOGUES, DIRECTION } from "./i18n/catalogue.ts";
import { ChatScreen } from "./screens/chat.tsx";
import { ClosedScreen } from "./screens/closed.tsx";
import { EndedScreen } from "./screens/ended.tsx";
import { LoadingScreen } from "./screens/loading.tsx";
import { StartScreen } from "./screens/start.tsx";
import { WaitingScreen } from "./screens/waiting.tsx";
import type { Screen, State } from "./state/types.ts";

export type Clock = Readonly<{ now: number; localOffset: number }>;

/** The whole frame view: a function of the state. */
export function App({ state, actions, clock }: Readonly<{ state: State; actions: Actions; clock: Clock }>) {
  const t = CATALOGUES[state.language];
  // On <html>, so the whole document (and the browser's font choice for Urdu) follows; before
  // paint, so the mirrored layout never flashes the wrong way round.
  useLayoutEffect(() => {
    document.documentElement.lang = state.language;
    document.documentElement.dir = DIRECTION[state.language];
  }, [state.language]);
  if (state.screen.type === "blank") return null;
  return (
    <div class="frame">
      <TopBar
        t={t}
        language={state.language}
        languages={state.config?.languages ?? LANGUAGES}
        actions={actions}
      />
      {/* The screen type lets the chat screen keep its controls fixed and scroll only the transcript. */}
      <main class={`main on-${state.screen.type}`}>
        <ScreenView state={state} screen={state.screen} actions={actions} clock={clock} />
      </main>
    </div>
  );
}

function ScreenView({
  state,
  screen,
  actions,
  clock,
}: Readonly<{ state: State; screen: Screen; actions: Actions; clock: Clock }>) {
  const t = CATALOGUES[state.language];
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
