import { useEffect, useRef } from "preact/hooks";
import type { ShortcutAction } from "../state/shortcuts.ts";

/** Keyboard shortcuts are matched once (app level) and delivered to whichever screen listens. */
type Listener = (action: ShortcutAction) => boolean;
const listeners = new Set<Listener>();

/** Returns true when a listener handled the action (the key event is then consumed). */
export function emitCommand(action: ShortcutAction): boolean {
  let handled = false;
  for (const listener of [...listeners]) handled = listener(action) || handled;
  return handled;
}

export function useCommand(listener: Listener): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    const wrapped: Listener = (a) => ref.current(a);
    listeners.add(wrapped);
    return () => listeners.delete(wrapped);
  }, []);
}
