import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { connectRelay } from "./adapters/relay-socket.ts";
import { linkToParent } from "./adapters/parent-link.ts";
import { fetchWidgetConfig } from "./adapters/widget-config.ts";
import { readOrgKey } from "./adapters/org-key.ts";
import { fetchRevocations } from "./adapters/revocations.ts";
import { App } from "./app.tsx";
import { type Controller, createController } from "./controller.ts";
import "./styles/frame.css";
import type { PartnerId } from "../../shared/protocol/ids.ts";
import { isPartnerId } from "../control/partner-id.ts";

/**
 * The frame's entry. The page runs sandboxed with an opaque origin: this code never touches
 * storage or cookies, only reads the partner id from its own URL, and keeps everything in memory.
 */
function framedFor(search: string): PartnerId | null {
  const partner = new URLSearchParams(search).get("partner");
  return isPartnerId(partner) ? partner : null;
}

let counter = 0;

const controller = createController({
  win: window,
  now: Date.now,
  orgKey: readOrgKey(document),
  spawnWorker: async () => (await import("./worker/spawn.ts")).spawnCryptoWorker(),
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
