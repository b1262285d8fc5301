import { CONTROL_MARK, type ToLoader } from "../control/messages.ts";
import { safeExitUrl } from "../control/exit-url.ts";
import { createTripleShift } from "../control/triple-shift.ts";
import { textColourFor } from "./contrast.ts";
import { createFrame, type FrameHost } from "./frame-host.ts";
import { readOptions, type LoaderOptions } from "./options.ts";
import { leaveNow } from "./quick-exit.ts";
import { LOADER_STRINGS } from "./strings.ts";
import { applyStyles } from "./styles.ts";

/**
 * The partner-page loader. It holds no keys and no text and makes no network request of its
 * own: it draws a launcher, opens the chat frame, and handles quick exit. It reads nothing from
 * the page (no cookies, storage, URL, title or referrer).
 */
const FRAME_WIPE_WAIT_MS = 1500;

/** The page-level effects, injectable so DOM tests can observe them without navigating. */
export type LoaderEnv = Readonly<{ replace: (url: string) => void; now: () => number }>;

const browserEnv: LoaderEnv = { replace: (url) => location.replace(url), now: () => Date.now() };

export function startLoader(script: HTMLScriptElement | null, env: LoaderEnv = browserEnv): void {
  const options = readOptions(script);
  if (typeof options === "string") {
    console.error(`sahara: ${options}`);
    return;
  }
  mount(options, env);
}

function mount(options: LoaderOptions, env: LoaderEnv): void {
  const strings = LOADER_STRINGS[options.language ?? "en"];
  const host = document.createElement("div");
  host.style.setProperty("--a", options.accent);
  host.style.setProperty("--t", textColourFor(options.accent));
  // The shadow root isolates styling only (the loader holds nothing secret), so it stays open.
  host.dataset.sahara = "loader";
  const root = host.attachShadow({ mode: "open" });
  applyStyles(root);

  const launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = `l ${options.side === "left" ? "s" : "r"}`;
  launcher.textContent = strings.launcher;
  launcher.setAttribute("aria-expanded", "false");
  if (options.language) launcher.lang = options.language;
  if (options.language === "ur") launcher.dir = "rtl";
  root.append(launcher);

  let frame: FrameHost | null = null;
  let exitUrl = options.exitUrl;
  let leaving = false;

  const setOpen = (open: boolean) => {
    if (frame) frame.element.hidden = !open;
    frame?.post({ sahara: CONTROL_MARK, type: "shown", shown: open });
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      launcher.classList.remove("u");
      frame?.element.focus();
    } else launcher.focus();
  };

  const finishExit = () => {
    if (leaving) return;
    leaving = true;
    leaveNow(exitUrl, () => frame?.remove(), env.replace);
  };

  let exitScheduled = false;
  const quickExit = () => {
    // Blank first, synchronously: whatever happens next, the chat is off the screen now.
    document.documentElement.style.setProperty("visibility", "hidden", "important");
    if (!frame?.loaded()) return finishExit();
    // Give the frame a moment to tell the counselor "visitor left" and wipe; it answers `left`,
    // or we go anyway.
    if (exitScheduled) return;
    exitScheduled = true;
    setTimeout(finishExit, FRAME_WIPE_WAIT_MS);
  };

  const onFrameMessage = (message: ToLoader) => {
    switch (message.type) {
      case "ready":
        exitUrl = safeExitUrl(message.exitUrl) ?? exitUrl;
        return;
      case "close":
        if (!message.drop) return setOpen(false);
        frame?.remove();
        frame = null;
        launcher.setAttribute("aria-expanded", "false");
        return launcher.focus();
      case "resize":
        frame?.element.classList.toggle("f", message.size === "full");
        return;
      case "quick-exit":
        exitUrl = safeExitUrl(message.exitUrl) ?? exitUrl;
        return quickExit();
      case "left":
        return finishExit();
      case "unread":
        // A dot, no words or count: the page around it learns no more than that.
        if (frame?.element.hidden) launcher.classList.add("u");
        return;
      default: {
        const never: never = message;
        return never;
      }
    }
  };

  launcher.addEventListener("click", () => {
    if (!frame) {
      frame = createFrame({
        frameUrl: options.frameUrl,
        title: strings.frameTitle,
        side: options.side,
        partner: options.partner,
        language: options.language,
        onMessage: onFrameMessage,
      });
      root.append(frame.element);
      launcher.setAttribute("aria-expanded", "true");
      // Into the frame at once, not only when it has loaded: the first paint's Hide and Escape
      // work before the frame's script has arrived.
      frame.element.focus();
      return;
    }
    setOpen(frame.element.hidden);
  });

  const tripleShift = createTripleShift();
  document.addEventListener(
    "keydown",
    (event) => {
      if (!tripleShift(event, env.now())) return;
      frame?.post({ sahara: CONTROL_MARK, type: "quick-exit" });
      quickExit();
    },
    true,
  );

  // An async script can run before <body> exists.
  if (document.body) document.body.append(host);
  else document.addEventListener("DOMContentLoaded", () => document.body.append(host), { once: true });
}
