/**
 * The loader's look, applied inside a shadow root so the partner page's CSS cannot
 * restyle (or hide) the launcher. Constructable stylesheets are CSSOM, so a partner page with a
 * strict `style-src` still renders them; where they are missing the button falls back to the
 * browser's defaults, which stay usable.
 */
export const LOADER_CSS = `
:host{all:initial}
.l{position:fixed;bottom:16px;z-index:2147483000;min-height:48px;padding:12px 20px;border:0;border-radius:24px;
background:var(--a);color:var(--t);font:600 16px/1.2 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Nastaliq Urdu",sans-serif;
cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)}
.l:focus-visible{outline:3px solid var(--t);outline-offset:-6px;box-shadow:0 0 0 3px #fff,0 0 0 6px #111}
.r{right:16px}.s{left:16px}
.u::after{content:"";position:absolute;top:-5px;right:-5px;width:14px;height:14px;border-radius:50%;background:#c4001d;border:2px solid #fff}
.p{position:fixed;bottom:16px;z-index:2147483001;width:min(400px,calc(100vw - 32px));height:min(720px,calc(100vh - 32px));
border:0;border-radius:12px;background:#fff;box-shadow:0 4px 24px rgba(0,0,0,.35)}
.p.r{right:16px}.p.s{left:16px}
.p[hidden]{display:none}
.w{opacity:0;pointer-events:none}
.f,.p.f{inset:0;width:100%;height:100%;border-radius:0}
@media (max-width:600px){.p,.p.r,.p.s{inset:0;width:100%;height:100%;border-radius:0}}
`;

export function applyStyles(root: ShadowRoot): void {
  sheet(root, LOADER_CSS);
}

export function sheet(root: ShadowRoot, css: string): void {
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
    try {
      const constructed = new CSSStyleSheet();
      constructed.replaceSync(css);
      root.adoptedStyleSheets = [constructed];
      return;
    } catch {
      // Older engines without constructable sheets: fall through to a <style> element.
    }
  }
  const style = document.createElement("style");
  style.textContent = css;
  root.append(style);
}
