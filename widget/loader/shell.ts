import { sheet } from "./styles.ts";
import type { LoaderStrings } from "./strings.ts";

/**
 * The panel's shell: painted by the loader the moment the launcher is activated, where the chat
 * frame will show, before the frame (another origin, so another renderer process, and its page)
 * has arrived. It looks like the frame's first paint: the bar with Hide and Quick exit and the
 * line "Opening a private chat…", static words only. A closed shadow root with reset styles
 * (`all:initial` on its host, which partner selectors cannot reach inside the loader's own
 * shadow root) keeps partner CSS from restyling or hiding it. The loader removes it once the
 * frame has painted over it.
 */
const SHELL_CSS = `
:host{all:initial;position:fixed;bottom:16px;right:16px;z-index:2147483001;display:block;overflow:hidden;
width:min(400px,calc(100vw - 32px));height:min(720px,calc(100vh - 32px));border-radius:12px;background:#fff;
box-shadow:0 4px 24px rgba(0,0,0,.35);visibility:visible;opacity:1}
:host(.s){right:auto;left:16px}
@media (max-width:600px){:host{inset:0;width:100%;height:100%;border-radius:0}}
div{all:initial;display:block;height:100%;outline:none;color:#1a1a1a;background:#fff;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
div:lang(ur){font-family:"Noto Nastaliq Urdu","Jameel Noori Nastaleeq","Urdu Typesetting",sans-serif;line-height:2.1}
header{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:8px 12px;background:#5b2a86;color:#fff}
b{font-weight:700;margin-inline-end:auto}
button{font:inherit;min-block-size:44px;min-inline-size:44px;cursor:pointer;border-radius:6px;border:2px solid #fff;
background:transparent;color:#fff;padding:0 10px;margin:0}
button+button{background:#a1001c;font-weight:700}
button:focus-visible{outline:3px solid #fff;outline-offset:2px}
p{margin:0;padding:32px 16px 0}
@media (max-width:600px){p{padding:28px 12px 0}}
`;

export type Shell = Readonly<{
  element: HTMLElement;
  /** True while focus is inside the shell. */
  focused: () => boolean;
  focus: () => void;
}>;

export function createShell(
  strings: LoaderStrings,
  language: string | undefined,
  side: "left" | "right",
  onHide: () => void,
  onQuickExit: () => void,
): Shell {
  const host = document.createElement("div");
  if (side === "left") host.className = "s";
  const root = host.attachShadow({ mode: "closed" });
  sheet(root, SHELL_CSS);
  const panel = document.createElement("div");
  panel.lang = language ?? "en";
  panel.dir = language === "ur" ? "rtl" : "ltr";
  panel.tabIndex = -1;
  const bar = document.createElement("header");
  const brand = document.createElement("b");
  brand.textContent = strings.brand;
  const button = (text: string, action: () => void) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  };
  bar.append(brand, button(strings.hide, onHide), button(strings.quickExit, onQuickExit));
  const line = document.createElement("p");
  line.setAttribute("role", "status");
  line.textContent = strings.opening;
  panel.append(bar, line);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") onHide();
  });
  root.append(panel);
  return { element: host, focused: () => root.activeElement !== null, focus: () => panel.focus() };
}
