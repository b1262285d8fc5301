import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { connectRelay } from "./adapters/relay-socket.ts";
import { linkToParent } from "./adapters/parent-link.ts";
import { fetchWidgetConfig } from "./adapters/widget-config.ts";
import { readOrgKey } from "./adapters/org-key.ts";
import { fetchRevocations } from "./adapters/revocations.ts";
import { LANGUAGES } from "../../shared/protocol/limits.ts";
import { App } from "./app.tsx";
import { type Controller, createController } from "./controller.ts";
import "./styles/frame.css";
import "./styles/first-paint.css";

import type { PartnerId } from "../../shared/protocol/ids.ts";
import { isPartnerId } from "../control/partner-id.ts";

/**
 * The frame's entry. The page runs sandboxed with an opaque origin: this code never touches
 * storage or cookies, only reads the partner id from its own URL, and keeps everything in memory.
 * The language the loader chose is already on <html lang> (the server wrote it there from the
 * frame's path, for the first paint).
 */
function framedFor(search: string): PartnerId | null {
  const partner = new URLSearchParams(search).get("partner");
  return isPartnerId(partner) ? partner : null;
}

let counter = 0;
// The crypto worker's chunk (libsodium, the largest download) is requested now, while the
// loader's `init` and the widget config are still on their way, not after them.
const cryptoModule = import("./worker/spawn.ts");
// A failed download is handled where the worker is spawned (the start screen says so).
cryptoModule.catch(() => undefined);
const initialLanguage = LANGUAGES.find((language) => language === document.documentElement.lang);

const controller = createController({
  win: window,
  now: Date.now,
  orgKey: readOrgKey(document),
  ...(initialLanguage ? { initialLanguage } : {}),
  spawnWorker: async () => (await cryptoModule).spawnCryptoWorker(),
  connectRelay,
  fetchConfig: fetchWidgetConfig,
  fetchRevocations,
  linkParent: (onMessage) => linkToParent(window, onMessage),
  framedFor: framedFor(location.search),
  newId: () => `m${(++counter).toString(36)}${Math.floor(Math.random() * 2 ** 30).toString(36)}`,
});

function Root({ controller }: Readonly<{ controller: Controller }>) {
  const [state, setState] = useState(controller.store.get());
  useEffect(() => controller.store.subscribe((next) => setState(next)), [controller]);
  const now = Date.now();
  return (
    <App
      state={state}
      actions={controller.actions}
      clock={{ now, localOffset: -new Date(now).getTimezoneOffset() }}
    />
  );
}

const root = document.getElementById("app");
if (root) render(<Root controller={controller} />, root);
