import { CONTROL_MARK, type ToLoader } from "../control/messages.ts";
import { safeExitUrl } from "../control/exit-url.ts";
import { createTripleShift } from "../control/triple-shift.ts";
import { textColourFor } from "./contrast.ts";
import { createFrame, type FrameHost } from "./frame-host.ts";
import { readOptions, type LoaderOptions } from "./options.ts";
import { leaveNow } from "./quick-exit.ts";
import { createShell, type Shell } from "./shell.ts";
import { LOADER_STRINGS } from "./strings.ts";
import { applyStyles } from "./styles.ts";

/**
 * The partner-page loader. It holds no keys and no text and makes no network request of its
 * own: it draws a launcher, opens the chat frame, and handles quick exit. It reads nothing from
 * the page (no cookies, storage, URL, title or referrer).
 */
const FRAME_WIPE_WAIT_MS = 1500;
/** A frame that loaded but never said `painted` (an older cached page) is shown this long after its load. */
const HANDOFF_AFTER_LOAD_MS = 1000;

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
  // Partner selectors can reach only this host: inline `!important` resets beat them.
  host.style.setProperty("all", "initial", "important");
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
  let shell: Shell | null = null;
  let exitUrl = options.exitUrl;
  let leaving = false;

  // The frame has painted over the shell: it takes over (and focus, if the shell had it).
  const handOff = () => {
    // Nothing to hand over once the partner page has removed the panel (a pending timer).
    if (!shell || !frame?.element.isConnected) return;
    const hadFocus = shell.focused();
    shell.element.remove();
    shell = null;
    frame.element.classList.remove("w");
    frame.element.inert = false;
    if (hadFocus) frame.element.focus();
  };

  // Nothing runs in the frame yet (or only its first paint): remove it, back to the launcher.
  const drop = () => {
    frame?.remove();
    frame = null;
    shell?.element.remove();
    shell = null;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  };

  const setOpen = (open: boolean) => {
    // The app hides a running chat: it has painted, whatever its signal's fate.
    if (!open) handOff();
    if (frame) frame.element.hidden = !open;
    frame?.post({ sahara: CONTROL_MARK, type: "shown", shown: open });
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      launcher.classList.remove("u");
      frame?.element.focus();
    } else launcher.focus();
  };

  const blank = () => {
    document.documentElement.style.setProperty("visibility", "hidden", "important");
    host.style.setProperty("visibility", "hidden", "important");
  };

  const finishExit = () => {
    blank();
    if (leaving) return;
    leaving = true;
    leaveNow(exitUrl, () => frame?.remove(), env.replace);
  };

  let exitScheduled = false;
  const quickExit = () => {
    // Blank first, synchronously: whatever happens next, the chat is off the screen now.
    blank();
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
        return message.drop ? drop() : setOpen(false);
      case "resize":
        frame?.element.classList.toggle("f", message.size === "full");
        return;
      case "quick-exit":
        exitUrl = safeExitUrl(message.exitUrl) ?? exitUrl;
        return quickExit();
      case "left":
        return finishExit();
      case "painted":
        return handOff();
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

  const shellQuickExit = () => {
    frame?.post({ sahara: CONTROL_MARK, type: "quick-exit" });
    quickExit();
  };

  launcher.addEventListener("click", () => {
    if (!frame) {
      // The shell at once, where the frame will show; the frame stays transparent and
      // untouchable (opacity, not visibility: Chromium would not render a hidden cross-origin
      // frame) until it says it has painted.
      shell = createShell(strings, options.language, options.side, drop, shellQuickExit);
      const created: FrameHost = createFrame({
        frameUrl: options.frameUrl,
        title: strings.frameTitle,
        side: options.side,
        partner: options.partner,
        language: options.language,
        onMessage: onFrameMessage,
        onLoad: () => {
          if (frame !== created) return;
          if (!shell) return created.element.focus();
          setTimeout(() => frame === created && handOff(), HANDOFF_AFTER_LOAD_MS);
        },
      });
      frame = created;
      // Inert too: no Tab, click or script focus reaches a frame nobody can see yet.
      created.element.classList.add("w");
      created.element.inert = true;
      root.append(shell.element, created.element);
      launcher.setAttribute("aria-expanded", "true");
      // Into the shell at once: its Hide, Quick exit, Escape and Shift ×3 work before the frame
      // has even arrived.
      shell.focus();
      return;
    }
    setOpen(frame.element.hidden);
  });

  const tripleShift = createTripleShift();
  document.addEventListener(
    "keydown",
    (event) => {
      if (tripleShift(event, env.now())) shellQuickExit();
    },
    true,
  );

  // An async script can run before <body> exists.
  if (document.body) document.body.append(host);
  else document.addEventListener("DOMContentLoaded", () => document.body.append(host), { once: true });
}
