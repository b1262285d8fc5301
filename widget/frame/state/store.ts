import type { FrameEvent } from "./events.ts";
import { reduce } from "./reducer.ts";
import type { State } from "./types.ts";

export type Listener = (next: State, previous: State) => void;

export type Store = Readonly<{
  get: () => State;
  dispatch: (event: FrameEvent) => void;
  subscribe: (listener: Listener) => () => void;
}>;

/** Holds the state outside the view; listeners see every transition (previous and next). */
export function createStore(initial: State): Store {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => state,
    dispatch: (event) => {
      const previous = state;
      state = reduce(state, event);
      if (state === previous) return;
      for (const listener of [...listeners]) listener(state, previous);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
