import type { Language } from "../../shared/protocol/envelopes.ts";
import type { ForWhom } from "./state/types.ts";

/** What the view may ask for. The controller implements it; DOM tests pass spies. */
export type Actions = Readonly<{
  chooseLanguage: (language: Language) => void;
  chooseForWhom: (value: ForWhom | null) => void;
  start: () => void;
  send: (body: string) => void;
  typing: (active: boolean) => void;
  endChat: () => void;
  quickExit: () => void;
  restart: () => void;
  hide: () => void;
  activity: () => void;
}>;
