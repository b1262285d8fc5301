import express from "express";
import helmet from "helmet";
import type { Config } from "../config.ts";
import { demoCsp } from "../http/security-headers.ts";
import type { DistFiles } from "./dist-files.ts";

/**
 * A stand-in partner website for trying Sahara locally. It runs on its own port (DEMO_PORT) so
 * that, as in real life, the partner page and the helpline are different origins: the loader
 * runs in this page, the chat in a cross-origin sandboxed iframe from PUBLIC_ORIGIN.
 */
const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const STYLE = `body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2933}
header{border-bottom:1px solid #d9e2ec;margin-bottom:1rem}code,pre{background:#f0f4f8;padding:.1rem .3rem;border-radius:4px}
pre{padding:.75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}.note{color:#52606d;font-size:.9rem}`;

export type DemoLanguage = "en" | "ur";

export function demoPage(
  publicOrigin: string,
  loaderPath: string,
  integrity: string | null,
  partner: string,
  language: DemoLanguage = "en",
): string {
  const src = `${publicOrigin}${loaderPath}`;
  const integrityAttribute = integrity ? ` integrity="${escapeHtml(integrity)}"` : "";
  const snippet = `<script async src="${escapeHtml(src)}"${integrityAttribute} crossorigin="anonymous" data-partner="${escapeHtml(partner)}" data-language="${language}"></script>`;
  const switcher =
    language === "ur"
      ? `<p>The widget on this page speaks Urdu (<code>data-language="ur"</code>). <a href="/demo/" lang="en">Try it in English</a>.</p>`
      : `<p>The widget on this page speaks English (<code>data-language="en"</code>). <a href="/demo/ur/" lang="ur" dir="rtl">اردو میں آزمائیں</a> (Urdu).</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo partner: Online safety resources</title>
<link rel="stylesheet" href="/demo/demo.css">
</head>
<body>
<header><h1>Online safety resources (demo partner site)</h1></header>
<main>
<p>This page stands in for a partner website that embeds the Sahara widget. Use the
"Talk to someone" button to start an anonymous, end-to-end encrypted chat with a counselor
logged in at <a href="${escapeHtml(publicOrigin)}/console/">${escapeHtml(publicOrigin)}/console/</a>.</p>
${switcher}
<p>Quick exit: the button in the chat, or pressing Shift three times, replaces this page with a
neutral one.</p>
<h2>The snippet on this page</h2>
<pre><code>${escapeHtml(snippet)}</code></pre>
<p class="note">The integrity hash pins the exact loader build (Subresource Integrity).</p>
</main>
${snippet}
</body>
</html>
`;
}

const WEATHER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Weather</title><link rel="stylesheet" href="/demo/demo.css"></head>
<body><h1>Weather today</h1><p>Lahore: sunny, 24°C. Karachi: humid, 29°C. Islamabad: clear, 21°C.</p></body></html>
`;

export function createDemoApp(config: Config, dist: DistFiles): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(
    helmet({
      contentSecurityPolicy: false,
      referrerPolicy: { policy: "no-referrer" },
      strictTransportSecurity: false,
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader("Content-Security-Policy", demoCsp(config.publicOrigin));
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  const page = (language: DemoLanguage) => async (_req: express.Request, res: express.Response) => {
    const manifest = await dist.manifest();
    res
      .type("text/html")
      .send(
        demoPage(
          config.publicOrigin,
          manifest?.loader ?? "/embed/v1/sahara.js",
          manifest?.integrity ?? null,
          "demo",
          language,
        ),
      );
  };
  app.get("/", page("en"));
  app.get("/demo/", page("en"));
  app.get("/demo/ur/", page("ur"));
  app.get("/demo", (_req, res) => res.redirect(301, "/demo/"));
  app.get("/demo/demo.css", (_req, res) => {
    res.type("text/css").send(STYLE);
  });
  app.get("/favicon.ico", (_req, res) => {
    res.status(204).end();
  });
  app.get("/weather.html", (_req, res) => {
    res.type("text/html").send(WEATHER);
  });
  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });
  return app;
}
