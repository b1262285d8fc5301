import type { Screen } from "./types.ts";

/**
 * True when nothing runs behind this screen (no chat, no queue, no quick exit under way): the
 * frame can go away without anyone losing anything, and a fresh one starts over.
 */
export function isIdle(screen: Screen): boolean {
  switch (screen.type) {
    case "loading":
    case "closed":
    case "start":
    case "ended":
      return true;
    case "waiting":
    case "chat":
    case "blank":
      return false;
    default: {
      const never: never = screen;
      return never;
    }
  }
}
