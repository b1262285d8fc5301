import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Result } from "../../../shared/result.ts";
import type { ErrorCode } from "../state/errors.ts";

export type Loaded<T> =
  | Readonly<{ type: "loading" }>
  | Readonly<{ type: "error"; error: ErrorCode }>
  | Readonly<{ type: "ready"; value: T }>;

/** Why a load failed, or null while it is loading or once it has succeeded. */
export function loadError(state: Loaded<unknown>): ErrorCode | null {
  return state.type === "error" ? state.error : null;
}

/**
 * Loads once on mount (and on `reload`), with a typed result. `refresh` loads again but changes
 * nothing when the answer is what is already shown (no re-render), so polling does not disturb a
 * field being edited.
 */
export function useLoad<T>(load: () => Promise<Result<T, ErrorCode>>) {
  const [state, setState] = useState<Loaded<T>>({ type: "loading" });
  const shown = useRef("");
  const fetchInto = useCallback(async (always: boolean) => {
    const result = await load();
    const next: Loaded<T> = result.ok
      ? { type: "ready", value: result.value }
      : { type: "error", error: result.error };
    const json = JSON.stringify(next);
    if (!always && json === shown.current) return;
    shown.current = json;
    setState(next);
  }, []);
  const reload = useCallback(() => fetchInto(true), [fetchInto]);
  const refresh = useCallback(() => fetchInto(false), [fetchInto]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return {
    state,
    reload,
    refresh,
    set: (value: T) => {
      shown.current = JSON.stringify({ type: "ready", value });
      setState({ type: "ready", value });
    },
  };
}

/**
 * Calls `refresh` every `ms` while the page is visible, and at once when it becomes visible
 * again: for lists that others change (a colleague enrolling shows up without leaving the screen).
 */
export function usePoll(refresh: () => Promise<void>, ms: number): void {
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === "visible") void refresh();
    };
    const timer = setInterval(tick, ms);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [refresh, ms]);
}
