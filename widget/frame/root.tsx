import { useLayoutEffect, useState } from "preact/hooks";
import { App } from "./app.tsx";
import type { Controller } from "./controller.ts";

/**
 * The app bound to the controller's store. The subscription is made in a layout effect (run as
 * the first render commits, not after the next animation frame) and then reads the store once
 * more: a transition between the first render and the subscription (the loader's `init` and the
 * configuration that came with the page can both land in that gap, before the frame has painted)
 * would otherwise never reach the view, which stayed on its loading screen.
 */
export function Root({ controller }: Readonly<{ controller: Pick<Controller, "store" | "actions"> }>) {
  const [state, setState] = useState(controller.store.get());
  useLayoutEffect(() => {
    const unsubscribe = controller.store.subscribe((next) => setState(next));
    setState(controller.store.get());
    return unsubscribe;
  }, [controller]);
  const now = Date.now();
  return (
    <App
      state={state}
      actions={controller.actions}
      clock={{ now, localOffset: -new Date(now).getTimezoneOffset() }}
    />
  );
}
