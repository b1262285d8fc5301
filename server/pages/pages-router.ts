import { createHash } from "node:crypto";
import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { Language } from "../../shared/protocol/envelopes.ts";
import { LANGUAGES } from "../../shared/protocol/limits.ts";
import * as v from "valibot";
import { PartnerIdSchema } from "../../shared/protocol/ids.ts";
import type { HttpContext } from "../http/context.ts";
import { allowCrossOrigin, consoleCsp, frameCsp, type InlineHashes } from "../http/security-headers.ts";
import { type DistFiles, NOT_BUILT_MESSAGE } from "./dist-files.ts";
import { compressBody, type EncodedBody, sendEncoded } from "./encoded-body.ts";
import { precompressedFiles } from "./precompressed-files.ts";
import { type WidgetConfig, WIDGET_CONFIG_ELEMENT_ID } from "../../shared/protocol/http/widget-config.ts";
import { widgetConfigFor } from "../http/routes/widget-config.ts";

/**
 * The pages: the loader (versioned, immutable, readable cross-origin for SRI), the survivor's
 * frame (sandboxed, no-store, framable only by partners), and the console (no-store, never
 * framed). Nothing here sets a cookie.
 */
const tag = (res: Response, route: string) => {
  res.locals.route = route;
};

function notBuilt(res: Response): void {
  res.status(503).type("text/plain").setHeader("Cache-Control", "no-store");
  res.send(NOT_BUILT_MESSAGE);
}

/**
 * The last body compressed, by its exact bytes: pages whose body is the same for every visitor
 * (the frame page with the public org key, the console's index) are compressed once, not per
 * request.
 */
function compressedOnce(): (identity: Buffer) => EncodedBody {
  // A few entries: the frame page exists once per language.
  const bodies = new Map<string, EncodedBody>();
  return (identity) => {
    const key = identity.toString("latin1");
    let body = bodies.get(key);
    if (!body) {
      if (bodies.size >= 4) bodies.clear();
      body = compressBody(identity);
      bodies.set(key, body);
    }
    return body;
  };
}

/**
 * The frame page in the language the loader chose (its path, `/frame/ur/`): `lang` and `dir` on
 * <html>, so the first paint shows the right words and direction before any script.
 */
const HTML_TAG = '<html lang="en" dir="ltr">';
function frameHtml(html: string, orgKey: string, language: Language | null): string {
  const page = html.replaceAll(ORG_KEY_PLACEHOLDER, orgKey);
  if (language === null) return page;
  return page.replace(HTML_TAG, `<html lang="${language}" dir="${language === "ur" ? "rtl" : "ltr"}">`);
}

/**
 * The partner's public widget configuration, written into the frame page as a JSON data block
 * (not script: nothing runs it, and the CSP does not apply to it), so the start screen needs no
 * request of its own (≈ 0.5 s on a 400 ms phone network). The frame reads it once and fetches
 * `/api/widget/config` for anything later (a restart). `<` is escaped, so the JSON cannot end
 * the element.
 */
export function withConfig(html: string, config: WidgetConfig | null): string {
  if (config === null) return html;
  const json = JSON.stringify(config).replaceAll("<", "\\u003c");
  // A function, not a string: `$&` or `$'` in a partner's text must not be read as a pattern.
  return html.replace(
    "</head>",
    () => `<script type="application/json" id="${WIDGET_CONFIG_ELEMENT_ID}">${json}</script></head>`,
  );
}

/**
 * CSP hash sources of the frame page's inline `<script>` and `<style>` elements (the first
 * paint's Hide and its inlined stylesheet, see widget/frame/index.html), computed from the very
 * bytes served, so the policy always matches the build. Inline code the page does not carry
 * cannot run.
 */
export function inlineHashes(html: string): InlineHashes {
  const hashes = (pattern: RegExp) =>
    [...html.matchAll(pattern)].map(
      (match) =>
        `'sha256-${createHash("sha256")
          .update(match[1] ?? "", "utf8")
          .digest("base64")}'`,
    );
  return { scripts: hashes(/<script>([\s\S]*?)<\/script>/g), styles: hashes(/<style>([\s\S]*?)<\/style>/g) };
}

/** Frame assets and console assets: served from dist with the page's caching rules. */
function staticAssets(root: string, setHeaders: (res: Response) => void) {
  return [precompressedFiles(root, setHeaders), plainStatic(root, setHeaders)];
}

function plainStatic(root: string, setHeaders: (res: Response) => void) {
  return express.static(root, {
    index: false,
    redirect: false,
    dotfiles: "deny",
    fallthrough: false,
    etag: false,
    lastModified: false,
    cacheControl: false,
    setHeaders: (res) => setHeaders(res as unknown as Response),
  });
}

const ORG_KEY_PLACEHOLDER = "%SAHARA_ORG_KEY%";
/** How long browsers may keep `/embed/v1/sahara.js`: a release reaches them within this. */
export const STABLE_LOADER_MAX_AGE_S = 300;

export function createPagesRouter(ctx: HttpContext, dist: DistFiles): Router {
  const router = Router();

  const loaderBody = compressedOnce();
  const frameBody = compressedOnce();
  const consoleBody = compressedOnce();

  router.get("/embed/v1/sahara.js", async (req, res) => {
    tag(res, "/embed/v1/sahara.js");
    const loader = await dist.read("embed/v1/sahara.js");
    if (!loader) return notBuilt(res);
    allowCrossOrigin(res);
    // The release-stable name: always the newest loader, so only a short cache (a returning
    // visitor gets a new release within minutes). Pinned snippets name the hashed copy below.
    res.setHeader("Cache-Control", `public, max-age=${STABLE_LOADER_MAX_AGE_S}`);
    res.type("text/javascript");
    sendEncoded(req, res, loaderBody(loader));
  });

  // Threat: a partner's page claiming another partner's id (skewing that partner's statistics
  // and exit page). The frame URL names the partner (`/frame/?partner=<id>`, a public id, nothing
  // about the survivor) and only that partner's origins may frame it; the frame uses that id.
  const ancestorsFor = async (claimed: unknown): Promise<readonly string[]> => {
    const id = v.safeParse(PartnerIdSchema, claimed);
    if (!id.success) return [];
    const partner = await ctx.repos.partners.get(id.output);
    return partner?.enabled ? [...partner.allowedOrigins].sort() : [];
  };

  // Content-addressed loaders (`sahara-<hash of the bytes>.js`, this release's and earlier
  // ones kept in dist/embed): the bytes behind a name never change, so a year and immutable.
  router.get(/^\/embed\/sahara-[A-Za-z0-9_-]{16}\.js$/, async (req, res) => {
    tag(res, "/embed/sahara-*.js");
    const name = req.path.slice("/embed/".length);
    const loader = await dist.read(`embed/${name}`);
    if (!loader) return void res.status(404).type("text/plain").send("Not found");
    allowCrossOrigin(res);
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.type("text/javascript");
    sendEncoded(req, res, loaderBody(loader));
  });

  const framePage = (language: Language | null) => async (req: Request, res: Response) => {
    tag(res, language ? `/frame/${language}/` : "/frame/");
    res.setHeader("Cache-Control", "no-store");
    const html = await dist.read("frame/index.html");
    if (!html) return notBuilt(res);
    const claimed = v.safeParse(PartnerIdSchema, req.query.partner);
    const [org, ancestors, config] = await Promise.all([
      ctx.repos.org.get(),
      ancestorsFor(req.query.partner),
      claimed.success ? widgetConfigFor(ctx, claimed.output) : null,
    ]);
    const orgKey = org && /^[A-Za-z0-9_-]*$/.test(org.publicKey) ? org.publicKey : "";
    const page = withConfig(frameHtml(html.toString("utf8"), orgKey, language), config);
    res.setHeader(
      "Content-Security-Policy",
      frameCsp(ctx.config.publicOrigin, ancestors, inlineHashes(page)),
    );
    res.setHeader("Referrer-Policy", "no-referrer");
    res.removeHeader("X-Frame-Options");
    // Origin-keying is meaningless for an opaque origin, and Chromium warns when a site-keyed
    // cluster (the partner page on the same site in local setups) already exists.
    res.removeHeader("Origin-Agent-Cluster");
    // The frame's own fetches come from an opaque origin (sandbox): they need CORS.
    allowCrossOrigin(res);
    // The org key and the partner's configuration are public and the page is the same for
    // every visitor of that partner: safe to compress.
    res.type("text/html");
    sendEncoded(req, res, frameBody(Buffer.from(page)));
  };
  router.get("/frame/", framePage(null));
  router.get("/frame/index.html", framePage(null));
  for (const language of LANGUAGES) router.get(`/frame/${language}/`, framePage(language));
  router.get(/^\/frame$/, (_req, res) => {
    tag(res, "/frame");
    res.redirect(301, "/frame/");
  });
  const frameAssetHeaders = (res: Response) => {
    // No cache entry on the survivor's device: an abuser could find it later.
    res.setHeader("Cache-Control", "no-store");
    allowCrossOrigin(res);
  };
  router.use(
    "/frame/assets",
    (_req: Request, res: Response, next: NextFunction) => {
      tag(res, "/frame/assets/*");
      next();
    },
    ...staticAssets(`${dist.root}/frame/assets`, frameAssetHeaders),
  );

  const consoleAssetHeaders = (res: Response) => {
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Security-Policy", consoleCsp(ctx.config.publicOrigin));
  };
  const consolePage = async (req: Request, res: Response) => {
    tag(res, "/console/");
    res.setHeader("Cache-Control", "no-store");
    const html = await dist.read("console/index.html");
    if (!html) return notBuilt(res);
    res.setHeader("Content-Security-Policy", consoleCsp(ctx.config.publicOrigin));
    res.type("text/html");
    sendEncoded(req, res, consoleBody(html));
  };
  // Built files (assets, the crypto worker, icons); anything else is a client-side route.
  router.use(
    "/console",
    (_req, res, next) => {
      tag(res, "/console/*");
      next();
    },
    precompressedFiles(`${dist.root}/console`, consoleAssetHeaders),
    express.static(`${dist.root}/console`, {
      index: false,
      redirect: false,
      dotfiles: "deny",
      fallthrough: true,
      etag: false,
      lastModified: false,
      cacheControl: false,
      setHeaders: (res) => consoleAssetHeaders(res as unknown as Response),
    }),
  );
  // Exact match (a string path would also match "/console/" and loop).
  router.get(/^\/console$/, (_req, res) => {
    tag(res, "/console");
    res.redirect(301, "/console/");
  });
  // Client-side routes of the single-page console all get its index.
  router.get(/^\/console\/.*$/, consolePage);
  // Browsers ask for it on every page; an empty answer keeps the logs and consoles quiet.
  router.get("/favicon.ico", (_req, res) => {
    tag(res, "/favicon.ico");
    res.setHeader("Cache-Control", "public, max-age=86400");
    res.status(204).end();
  });
  router.get("/", (_req, res) => {
    tag(res, "/");
    res.redirect(302, "/console/");
  });
  router.get("/demo/", (_req, res) => {
    tag(res, "/demo/");
    if (ctx.config.demoPort === 0) {
      res.status(404).type("text/plain").send("The demo is disabled (DEMO_PORT=0).");
      return;
    }
    // The demo partner runs on its own port so that it is a different origin, as in real life.
    const url = new URL(ctx.config.publicOrigin);
    url.port = String(ctx.config.demoPort);
    url.pathname = "/demo/";
    res.redirect(302, url.toString());
  });

  return router;
}
