import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A partner website for browser tests, on 127.0.0.2: a different site from the helpline on
 * 127.0.0.1, so the chat frame is cross-site (its own renderer process) as in real life. Unlike
 * the product's demo page it has no CSP, like many real partner sites, so a test can add
 * scripts of its own (a hostile one, a long task) next to the snippet.
 */
export type PartnerPageOptions = Readonly<{
  /** `data-language` on the snippet. */
  language?: "en" | "ur";
  /** `data-position` on the snippet. */
  position?: "bottom-right" | "bottom-left";
  /** Inline script run in the partner page before the loader (e.g. a hostile observer). */
  script?: string;
  /** The loader's path in the snippet (default the release-stable `/embed/v1/sahara.js`). */
  loaderPath?: string;
  /** Leave the snippet out (the baseline for the partner-page benchmark). */
  withoutLoader?: boolean;
}>;

export type PartnerSite = Readonly<{
  origin: string;
  /** Registers a page at `path` (starting with "/"). */
  page: (path: string, options?: PartnerPageOptions) => string;
  exitUrl: string;
  close: () => Promise<void>;
}>;

const ARTICLE = `<h1>Online safety resources</h1>
<p>Practical guides on securing accounts, reporting abuse and getting help. This page stands in
for a partner website that embeds the helpline's chat.</p>
<ul><li>Secure your accounts</li><li>Report online harassment</li><li>Talk to someone</li></ul>`;

export function partnerHtml(helplineOrigin: string, integrity: string, options: PartnerPageOptions): string {
  const attributes =
    (options.language ? ` data-language="${options.language}"` : "") +
    (options.position ? ` data-position="${options.position}"` : "");
  const snippet = `<script async src="${helplineOrigin}${options.loaderPath ?? "/embed/v1/sahara.js"}" integrity="${integrity}" crossorigin="anonymous" data-partner="demo"${attributes}></script>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partner: online safety</title>
${options.script ? `<script>${options.script}</script>` : ""}
</head><body>${ARTICLE}
${options.withoutLoader ? "" : snippet}
</body></html>`;
}

const WEATHER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weather</title></head>
<body><h1>Weather today</h1><p>Lahore: sunny, 24°C.</p></body></html>`;

export async function startPartnerSite(helplineOrigin: string, integrity: string): Promise<PartnerSite> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const html = path === "/weather.html" ? WEATHER : pages.get(path);
    if (html === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.2", resolve));
  const origin = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
  const page = (path: string, options: PartnerPageOptions = {}) => {
    pages.set(path, partnerHtml(helplineOrigin, integrity, options));
    return `${origin}${path}`;
  };
  page("/");
  return {
    origin,
    page,
    exitUrl: `${origin}/weather.html`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
