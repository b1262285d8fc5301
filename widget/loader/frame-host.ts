import type { Language } from "../../shared/protocol/envelopes.ts";
import type { PartnerId } from "../../shared/protocol/ids.ts";
import { CONTROL_MARK, parseToLoader, type ToFrame, type ToLoader } from "../control/messages.ts";

export type FrameHostOptions = Readonly<{
  frameUrl: string;
  title: string;
  /** The launcher's side: the panel opens anchored there, over the launcher. */
  side: "left" | "right";
  partner: PartnerId;
  language: Language | undefined;
  onMessage: (message: ToLoader) => void;
  /** The frame's document has loaded (and has been sent `init`). */
  onLoad: () => void;
}>;

export type FrameHost = Readonly<{
  element: HTMLIFrameElement;
  post: (message: ToFrame) => void;
  remove: () => void;
  /** True once the frame has loaded and received `init`. */
  loaded: () => boolean;
}>;

/**
 * Creates the chat iframe. The sandbox gives the frame an opaque origin (no storage, cookies or
 * caches that could keep a trace); `allow-popups` lets resource links open, and
 * `allow-top-navigation-by-user-activation` is kept for a user-initiated link out. The frame
 * never learns the partner page's URL: no referrer, and the frame's URL carries at most the
 * chosen language.
 */
export function createFrame(options: FrameHostOptions): FrameHost {
  const iframe = document.createElement("iframe");
  // The language as a path segment (/frame/ur/; no content, and the relay learns it at `join`
  // anyway): the server writes it into the page, so the first paint shows it before any script.
  iframe.src = frameSrc(options.frameUrl, options.language);
  iframe.title = options.title;
  iframe.referrerPolicy = "no-referrer";
  iframe.setAttribute("sandbox", "allow-scripts allow-popups allow-top-navigation-by-user-activation");
  iframe.setAttribute("allow", "");
  iframe.className = `p ${options.side === "left" ? "s" : "r"}`;
  let isLoaded = false;

  // The frame's origin is opaque, so no origin string can name it as a targetOrigin ("null" is
  // not accepted): messages go to the exact contentWindow with "*". That is safe because they
  // carry only control signals the partner page already knows (partner id, language) — never
  // text or keys — and because the window object, not an origin, is what we address.
  const post = (message: ToFrame) => iframe.contentWindow?.postMessage(message, "*");

  const onWindowMessage = (event: MessageEvent) => {
    // Only the frame we created may talk to us: any other window (partner scripts, other
    // iframes, a popup) is ignored before its data is even parsed.
    if (event.source === null || event.source !== iframe.contentWindow) return;
    const message = parseToLoader(event.data);
    if (message) options.onMessage(message);
  };
  window.addEventListener("message", onWindowMessage);

  iframe.addEventListener("load", () => {
    isLoaded = true;
    post({
      sahara: CONTROL_MARK,
      type: "init",
      partner: options.partner,
      ...(options.language ? { language: options.language } : {}),
    });
    options.onLoad();
  });

  return {
    element: iframe,
    post,
    loaded: () => isLoaded,
    remove: () => {
      window.removeEventListener("message", onWindowMessage);
      iframe.remove();
    },
  };
}

/** `/frame/?partner=…` becomes `/frame/ur/?partner=…`: the language goes in the path, the query stays. */
export function frameSrc(frameUrl: string, language: string | undefined): string {
  if (!language) return frameUrl;
  const url = new URL(frameUrl);
  url.pathname = `${url.pathname}${language}/`;
  return url.href;
}
