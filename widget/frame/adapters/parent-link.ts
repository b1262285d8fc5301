import { CONTROL_MARK, parseToFrame, type ToFrame, type ToLoader } from "../../control/messages.ts";

/** Messages to the loader, without the marker (added here). */
export type ToLoaderBody = ToLoader extends infer M
  ? M extends { sahara: 1 }
    ? Omit<M, "sahara">
    : never
  : never;

export type ParentLink = Readonly<{ send: (message: ToLoaderBody) => void; dispose: () => void }>;

/**
 * The frame's side of the postMessage channel with the loader. Only the parent window is
 * listened to; anything else (another frame, a popup, a partner script posting into us) is
 * dropped before parsing. The partner page's origin is unknown to the frame (no referrer), so
 * replies go to `window.parent` with "*": they carry only control signals and the partner's
 * public exit URL, never text, keys or ids.
 */
export function linkToParent(win: Window, onMessage: (message: ToFrame) => void): ParentLink {
  const listener = (event: MessageEvent) => {
    if (win.parent === win || event.source !== win.parent) return;
    const message = parseToFrame(event.data);
    if (message) onMessage(message);
  };
  win.addEventListener("message", listener);
  return {
    send: (message) => {
      if (win.parent !== win) win.parent.postMessage({ ...message, sahara: CONTROL_MARK }, "*");
    },
    dispose: () => win.removeEventListener("message", listener),
  };
}
