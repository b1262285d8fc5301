import { render } from "preact";
import { lazyRelay } from "./adapters/lazy-relay.ts";
import { linkToParent } from "./adapters/parent-link.ts";
import { configLoader, takeEmbeddedConfig } from "./adapters/widget-config.ts";
import { readOrgKey } from "./adapters/org-key.ts";
import { LANGUAGES } from "../../shared/protocol/limits.ts";
import { createController } from "./controller.ts";
import { loadCatalogue } from "./i18n/catalogue.ts";
import { Root } from "./root.tsx";
import "./styles/frame.css";
import "./styles/first-paint.css";

import type { PartnerId } from "../../shared/protocol/ids.ts";
import { isPartnerId } from "../control/partner-id.ts";
import { CONTROL_MARK } from "../control/messages.ts";

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
// The relay client likewise (lazyRelay reports a failed download as a connection that failed).
let relayModule = import("./adapters/relay-socket.ts");
relayModule.catch(() => undefined);
/** The relay client's chunk; a download that failed (a flaky link) is asked for again. */
const relayClient = () =>
  relayModule.catch(() => {
    relayModule = import("./adapters/relay-socket.ts");
    return relayModule;
  });
const initialLanguage = LANGUAGES.find((language) => language === document.documentElement.lang);

const controller = createController({
  win: window,
  now: Date.now,
  orgKey: readOrgKey(document),
  ...(initialLanguage ? { initialLanguage } : {}),
  spawnWorker: async () => (await cryptoModule).spawnCryptoWorker(),
  // The socket.io client comes in its own chunk, fetched with the crypto chunk once the entry
  // has arrived (see widget/vite.frame.config.ts); the relay is first needed at the start screen.
  connectRelay: lazyRelay(async () => (await relayClient()).connectRelay),
  fetchConfig: configLoader(takeEmbeddedConfig(document), framedFor(location.search)),
  // With the relay client's chunk: its schema (valibot) is not needed before the start screen.
  fetchRevocations: async () => (await relayClient()).fetchRevocations(),
  linkParent: (onMessage) => linkToParent(window, onMessage),
  framedFor: framedFor(location.search),
  newId: () => `m${(++counter).toString(36)}${Math.floor(Math.random() * 2 ** 30).toString(36)}`,
});

// The view renders over the first paint once the page language's words are here (fetched
// alongside this script, see i18n/catalogue.ts); until then the first paint stays, Quick exit and
// Hide working. A failed fetch is tried once more, then English.
const root = document.getElementById("app");
const firstLanguage = initialLanguage ?? "en";
loadCatalogue(firstLanguage)
  .catch(() => loadCatalogue(firstLanguage))
  .catch(() => loadCatalogue("en"))
  .then(
    () => {
      if (root) render(<Root controller={controller} />, root);
      // Painted (the page's own script says so first, unless it is gone): the loader shows this
      // frame over its shell. A bare signal, allowed before `init`.
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (parent !== window) parent.postMessage({ sahara: CONTROL_MARK, type: "painted" }, "*");
        }),
      );
    },
    () => undefined,
  );
