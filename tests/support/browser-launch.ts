import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { CdpConnection } from "./browser-cdp.ts";
import { TargetTracker } from "./browser-targets.ts";
import { TrafficCapture } from "./browser-traffic.ts";
import { chromiumPath } from "./services.ts";

/**
 * One Chromium with a fresh user-data directory (so its files can be searched afterwards),
 * driven by Playwright and watched through an independent CDP connection on the browser's
 * debugging port. Never downloads a browser: Debian's /usr/bin/chromium or CHROMIUM_PATH.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-dev-shm-usage",
] as const;

export type LaunchOptions = Readonly<{
  viewport?: { width: number; height: number };
  locale?: string;
  /** A touch screen (for `page.touchscreen.tap`), as on a phone. */
  hasTouch?: boolean;
  /** Chromium switches added to `CHROMIUM_ARGS` (the bench's diagnostic rounds). */
  extraArgs?: readonly string[];
}>;

export type ProbedBrowser = Readonly<{
  context: BrowserContext;
  userDataDir: string;
  cdp: CdpConnection;
  targets: TargetTracker;
  traffic: TrafficCapture;
  /** Closes the browser and flushes its files to disk; the directory stays for inspection. */
  close: () => Promise<void>;
  /** Closes the browser (if open) and removes its user-data directory. */
  dispose: () => Promise<void>;
}>;

async function debuggingUrl(userDataDir: string): Promise<string> {
  const file = join(userDataDir, "DevToolsActivePort");
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const [port, path] = readFileSync(file, "utf8").split("\n");
      if (port && path) return `ws://127.0.0.1:${port}${path}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("Chromium did not write DevToolsActivePort");
}

/**
 * The most permissive ordinary profile: third-party cookies and storage allowed (this build
 * blocks them by default), so a frame that is not really sandboxed would be able to store, and
 * a "no trace" verdict comes from the product, not from a browser default.
 */
function writePreferences(userDataDir: string): void {
  mkdirSync(join(userDataDir, "Default"));
  writeFileSync(
    join(userDataDir, "Default", "Preferences"),
    JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }),
  );
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<ProbedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "sahara-chromium-"));
  writePreferences(userDataDir);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? []), "--remote-debugging-port=0"],
      // Playwright turns the back/forward cache off; real browsers have it on, and the widget
      // must wipe on `pagehide` because of it.
      ignoreDefaultArgs: ["--disable-back-forward-cache"],
      viewport: options.viewport ?? { width: 390, height: 844 },
      ...(options.locale ? { locale: options.locale } : {}),
      ...(options.hasTouch ? { hasTouch: true } : {}),
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const cdp = await CdpConnection.connect(await debuggingUrl(userDataDir));
  const targets = new TargetTracker(cdp);
  const traffic = await TrafficCapture.attach(cdp, targets);
  await targets.start();

  let open = true;
  const close = async () => {
    if (!open) return;
    open = false;
    cdp.close();
    await context.close();
  };
  return {
    context,
    userDataDir,
    cdp,
    targets,
    traffic,
    close,
    dispose: async () => {
      await close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
