import { useEffect, useState } from "preact/hooks";
import type { Store } from "../state/store.ts";

/** Re-renders the component whenever the store's state changes. */
export function useStore<S, A>(store: Store<S, A>): S {
  const [state, setState] = useState(store.getState());
  useEffect(() => {
    setState(store.getState());
    return store.subscribe(() => setState(store.getState()));
  }, [store]);
  return state;
}

/** The current time, ticking every `ms` (wait times, break timers). */
export function useNow(now: () => number, ms = 1000): number {
  const [time, setTime] = useState(now());
  useEffect(() => {
    const id = setInterval(() => setTime(now()), ms);
    return () => clearInterval(id);
  }, [now, ms]);
  return time;
}
