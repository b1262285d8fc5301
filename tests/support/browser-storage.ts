import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import type { CdpConnection } from "./browser-cdp.ts";
import type { ProbedBrowser } from "./browser-launch.ts";
import { targetIdOf } from "./browser-page-target.ts";
import type { TargetTracker } from "./browser-targets.ts";

/**
 * What a browser keeps for one origin, read over CDP: cookies, localStorage, sessionStorage,
 * IndexedDB, Cache Storage, service workers and quota usage.
 *
 * Chromium answers DOMStorage, IndexedDB and CacheStorage queries only through a live frame
 * holding that storage key. For an origin that is not the page's own (the helpline, embedded
 * in the partner page) the harness adds a probe iframe of that origin to the page, fulfilled by
 * Playwright without reaching any server, so it has exactly the storage key (and, being in the
 * same tab, the sessionStorage namespace) an unsandboxed chat frame would have had.
 */
export type StorageInventory = Readonly<{
  origin: string;
  storageKey: string;
  cookies: readonly string[];
  localStorage: readonly string[];
  sessionStorage: readonly string[];
  indexedDb: readonly string[];
  cacheStorage: readonly string[];
  serviceWorkers: readonly string[];
  /** Bytes the quota system counts for the origin (IndexedDB, Cache Storage, service workers, file systems). */
  quotaUsage: number;
}>;

type Cookie = { name: string; domain: string };
type Registration = { scopeURL: string; isDeleted: boolean };
type FrameTree = { frame: { id: string; url: string }; childFrames?: FrameTree[] };

export function isEmpty(inv: StorageInventory): boolean {
  const lists = [
    inv.cookies,
    inv.localStorage,
    inv.sessionStorage,
    inv.indexedDb,
    inv.cacheStorage,
    inv.serviceWorkers,
  ];
  return lists.every((l) => l.length === 0) && inv.quotaUsage === 0;
}

function findFrame(tree: FrameTree, url: string): string | undefined {
  if (tree.frame.url === url) return tree.frame.id;
  for (const child of tree.childFrames ?? []) {
    const id = findFrame(child, url);
    if (id) return id;
  }
  return undefined;
}

type FrameHandle = Readonly<{ sessionId: string; frameId: string; remove: () => Promise<void> }>;

async function frameFor(browser: ProbedBrowser, page: Page, origin: string): Promise<FrameHandle> {
  const pageTargetId = await targetIdOf(page);
  const pageTarget = browser.targets.attached().find((t) => t.targetId === pageTargetId);
  if (!pageTarget) throw new Error("page is not tracked");
  if (new URL(page.url()).origin === origin) {
    return { sessionId: pageTarget.sessionId, frameId: pageTargetId, remove: async () => {} };
  }
  const probeUrl = `${origin}/.storage-probe-${randomBytes(6).toString("hex")}`;
  await page.route(probeUrl, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html",
      headers: { "cache-control": "no-store" },
      body: "<!doctype html><title>probe</title>",
    }),
  );
  await page.evaluate(
    (src) =>
      new Promise<void>((resolve) => {
        const iframe = document.createElement("iframe");
        iframe.id = "storage-probe";
        iframe.onload = () => resolve();
        iframe.src = src;
        document.documentElement.append(iframe);
      }),
    probeUrl,
  );
  const remove = async () => {
    await page.evaluate(() => document.getElementById("storage-probe")?.remove()).catch(() => {});
    await page.unroute(probeUrl).catch(() => {});
  };
  // Cross-site: the probe is its own target. Same-site: it lives in the page's target.
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const own = browser.targets.attached().find((t) => t.type === "iframe" && t.url === probeUrl);
    if (own) return { sessionId: own.sessionId, frameId: own.targetId, remove };
    const { frameTree } = await browser.cdp.send<{ frameTree: FrameTree }>(
      "Page.getFrameTree",
      {},
      pageTarget.sessionId,
    );
    const frameId = findFrame(frameTree, probeUrl);
    if (frameId) return { sessionId: pageTarget.sessionId, frameId, remove };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await remove();
  throw new Error("storage probe frame did not appear");
}

/** Everything the browser holds for `origin`, as seen from `page`'s tab. Throws if it cannot look. */
export async function inventory(
  browser: ProbedBrowser,
  page: Page,
  origin: string,
): Promise<StorageInventory> {
  const { cdp, targets } = browser;
  const frame = await frameFor(browser, page, origin);
  try {
    const { sessionId, frameId } = frame;
    const { storageKey } = await cdp.send<{ storageKey: string }>(
      "Storage.getStorageKeyForFrame",
      { frameId },
      sessionId,
    );
    await cdp.send("DOMStorage.enable", {}, sessionId);
    const items = async (isLocalStorage: boolean) => {
      const { entries } = await cdp.send<{ entries: [string, string][] }>(
        "DOMStorage.getDOMStorageItems",
        { storageId: { storageKey, isLocalStorage } },
        sessionId,
      );
      return entries.map(([key]) => key);
    };
    const { databaseNames } = await cdp.send<{ databaseNames: string[] }>(
      "IndexedDB.requestDatabaseNames",
      { storageKey },
      sessionId,
    );
    const { caches } = await cdp.send<{ caches: { cacheName: string }[] }>(
      "CacheStorage.requestCacheNames",
      { storageKey },
      sessionId,
    );
    const { usage } = await cdp.send<{ usage: number }>("Storage.getUsageAndQuota", { origin }, sessionId);
    const { cookies } = await cdp.send<{ cookies: Cookie[] }>("Storage.getCookies", {});
    const host = new URL(origin).hostname;
    return {
      origin,
      storageKey,
      cookies: cookies.filter((c) => c.domain.replace(/^\./, "") === host).map((c) => c.name),
      localStorage: await items(true),
      sessionStorage: await items(false),
      indexedDb: databaseNames,
      cacheStorage: caches.map((c) => c.cacheName),
      serviceWorkers: await serviceWorkers(cdp, targets, sessionId, origin),
      quotaUsage: usage,
    };
  } finally {
    await frame.remove();
  }
}

/** Live service-worker targets plus registrations the ServiceWorker domain reports. */
async function serviceWorkers(
  cdp: CdpConnection,
  targets: TargetTracker,
  sessionId: string,
  origin: string,
): Promise<string[]> {
  const registrations: Registration[] = [];
  const off = cdp.on((event) => {
    if (event.method === "ServiceWorker.workerRegistrationUpdated" && event.sessionId === sessionId) {
      registrations.push(...(event.params.registrations as Registration[]));
    }
  });
  await cdp.send("ServiceWorker.enable", {}, sessionId);
  // Registrations arrive as events right after enable; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await cdp.send("ServiceWorker.disable", {}, sessionId).catch(() => {});
  off();
  const live = targets.find("service_worker", origin).map((t) => t.url);
  const registered = registrations
    .filter((r) => !r.isDeleted && r.scopeURL.startsWith(origin))
    .map((r) => r.scopeURL);
  return [...new Set([...live, ...registered])];
}
