import { CONTROL_MARK, parseToFrame, type ToFrame, type ToLoader } from "../../control/messages.ts";

/** Messages to the loader, without the marker (added here). */
export type ToLoaderBody = ToLoader extends infer M
  ? M extends { sahara: 1 }
    ? Omit<M, "sahara">
    : never
  : never;

export type ParentLink = Readonly<{ send: (message: ToLoaderBody) => void; dispose: () => void }>;

/**
 * Before `init` the partner's origin is unknown, so a message could only go out with "*" and
 * reach whatever document the parent window holds. Only bare signals may: nothing in them but
 * their type. `ready` and an exit URL wait for `init` (they are sent only after the config,
 * which needs `init`, so in practice nothing is lost).
 */
const bareBeforeInit = (message: ToLoaderBody): boolean =>
  message.type === "left" ||
  message.type === "close" ||
  message.type === "unread" ||
  message.type === "painted" ||
  message.type === "resize" ||
  (message.type === "quick-exit" && message.exitUrl === undefined);

/**
 * The frame's side of the postMessage channel with the loader. Only the parent window is
 * listened to; anything else (another frame, a popup, a partner script posting into us) is
 * dropped before parsing. The frame gets no referrer, so it learns the partner page's origin
 * from the loader's `init` (`event.origin`, from the parent window only) and from then on posts
 * with exactly that targetOrigin, and accepts only that origin: if the parent window were
 * navigated to another site, nothing more reaches it. A partner page with an opaque origin
 * (`"null"`, not a valid targetOrigin) keeps "*" to the parent window — what crosses is only
 * control signals and the partner's public exit URL, never text, keys or ids.
 */
export function linkToParent(win: Window, onMessage: (message: ToFrame) => void): ParentLink {
  let partnerOrigin: string | null = null;
  const listener = (event: MessageEvent) => {
    if (win.parent === win || event.source !== win.parent) return;
    if (partnerOrigin !== null && event.origin !== partnerOrigin) return;
    const message = parseToFrame(event.data);
    if (!message) return;
    if (message.type === "init" && partnerOrigin === null) partnerOrigin = event.origin;
    onMessage(message);
  };
  win.addEventListener("message", listener);
  return {
    send: (message) => {
      if (win.parent === win) return;
      if (partnerOrigin === null && !bareBeforeInit(message)) return;
      const target = partnerOrigin === null || partnerOrigin === "null" ? "*" : partnerOrigin;
      win.parent.postMessage({ ...message, sahara: CONTROL_MARK }, target);
    },
    dispose: () => win.removeEventListener("message", listener),
  };
}
