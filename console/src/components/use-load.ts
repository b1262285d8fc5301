import { useCallback, useEffect, useState } from "preact/hooks";
import type { Result } from "../../../shared/result.ts";
import type { ErrorCode } from "../state/errors.ts";

export type Loaded<T> =
  | Readonly<{ type: "loading" }>
  | Readonly<{ type: "error"; error: ErrorCode }>
  | Readonly<{ type: "ready"; value: T }>;

/** Loads once on mount (and on `reload`), with a typed result. */
export function useLoad<T>(load: () => Promise<Result<T, ErrorCode>>) {
  const [state, setState] = useState<Loaded<T>>({ type: "loading" });
  const reload = useCallback(async () => {
    const result = await load();
    setState(result.ok ? { type: "ready", value: result.value } : { type: "error", error: result.error });
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { state, reload, set: (value: T) => setState({ type: "ready", value }) };
}
