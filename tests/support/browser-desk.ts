import type { Frame, Locator, Page } from "playwright-core";
import { afterEach } from "vitest";
import { type ConsoleAccount, ct, setupConsole } from "./browser-console.ts";
import { bringInColleague } from "./browser-full-staff.ts";
import { type LaunchOptions, launchBrowser, type ProbedBrowser } from "./browser-launch.ts";
import { type Helpline, type HelplineOptions, startHelpline } from "./browser-servers.ts";
import { openWidget, startChat } from "./browser-widget.ts";
import { type Joined, joinAsSurvivor } from "./relay-clients.ts";

/**
 * What the console's browser tests start and must close after each test: a helpline, staff
 * browsers (1280×720 unless told), and survivors scripted in Node over the real relay. Call
 * `consoleFixture()` inside a `describe`; it registers its own `afterEach`.
 */
export const ADMIN: ConsoleAccount = {
  username: "admin",
  displayName: "Ayesha",
  password: "correct horse battery staple",
};

/** The colleague the multi-browser tests bring in beside the admin. */
export const BILAL: ConsoleAccount = {
  username: "bilal",
  displayName: "Bilal",
  password: "another long passphrase here",
};

export const DESK_VIEWPORT = { width: 1280, height: 720 } as const;

export type Desk = Readonly<{ helpline: Helpline; browser: ProbedBrowser; page: Page }>;

export async function firstPage(browser: ProbedBrowser): Promise<Page> {
  return browser.context.pages()[0] ?? (await browser.context.newPage());
}

export function consoleFixture() {
  let helpline: Helpline | undefined;
  const browsers: ProbedBrowser[] = [];
  const survivors: Joined[] = [];
  afterEach(async () => {
    for (const s of survivors.splice(0)) s.socket.disconnect();
    for (const b of browsers.splice(0)) await b.dispose();
    await helpline?.close();
    helpline = undefined;
  });

  const fixture = {
    /** The running helpline (after `start` or `adminDesk`). */
    get helpline(): Helpline {
      if (!helpline) throw new Error("no helpline started in this test");
      return helpline;
    },
    async start(options?: HelplineOptions): Promise<Helpline> {
      helpline = await startHelpline(options);
      return helpline;
    },
    /** A browser closed after the test, with its first tab. */
    async browser(options: LaunchOptions = { viewport: DESK_VIEWPORT }): Promise<Omit<Desk, "helpline">> {
      const browser = await launchBrowser(options);
      browsers.push(browser);
      return { browser, page: await firstPage(browser) };
    },
    /** First-run setup in a staff browser (starting the helpline if none runs yet): the admin's desk. */
    async adminDesk(account: ConsoleAccount = ADMIN, launch?: LaunchOptions): Promise<Desk> {
      const h = helpline ?? (await fixture.start());
      const { browser, page } = await fixture.browser(launch);
      await setupConsole(page, h, account);
      return { helpline: h, browser, page };
    },
    /**
     * A colleague's desk in a browser of their own: the admin (on `admin`) invites them, they
     * enroll, the admin certifies them and they unlock their console.
     */
    async colleagueDesk(admin: Page, account: ConsoleAccount = BILAL): Promise<Omit<Desk, "helpline">> {
      const desk = await fixture.browser();
      await bringInColleague(admin, desk.page, fixture.helpline.origin, account);
      return desk;
    },
    /**
     * A survivor in a browser of their own (the default viewport) who opens the widget on the
     * partner page and presses Start; answers once their chat is open.
     */
    async widgetSurvivor(): Promise<Readonly<{ page: Page; frame: Frame }>> {
      const { page } = await fixture.browser({});
      await page.goto(fixture.helpline.partner.page("/"));
      const frame = await openWidget(page, fixture.helpline.origin);
      await startChat(frame);
      return { page, frame };
    },
    /** A survivor scripted in Node, queued through the real relay (its key is random bytes). */
    async survivor(): Promise<Joined> {
      const joined = await joinAsSurvivor(fixture.helpline.origin);
      survivors.push(joined);
      return joined;
    },
  };
  return fixture;
}

/** The queue heading once it counts `n` waiting. */
export function queued(page: Page, n: number): Promise<void> {
  return page
    .getByRole("heading", { name: ct("queue.title").replace("{count}", String(n)) })
    .waitFor({ timeout: 30_000 });
}

/** The desk's message box. */
export const composerOf = (page: Page) => page.getByRole("textbox", { name: ct("chat.message") });

/** The counselor clicks the message box, types and clicks Send. */
export async function counselorSends(page: Page, text: string): Promise<void> {
  await composerOf(page).click();
  await page.keyboard.type(text);
  await page.getByRole("button", { name: ct("chat.send"), exact: true }).click();
}

/**
 * A modal dialog once it takes keys: shown, and focus inside it (Escape pressed before then
 * would go to whatever had focus behind it).
 */
export async function dialogReady(page: Page, name: string): Promise<Locator> {
  const dialog = page.getByRole("dialog", { name });
  await dialog.waitFor({ timeout: 10_000 });
  const box = await dialog.elementHandle({ timeout: 10_000 });
  await page.waitForFunction((el) => el?.contains(document.activeElement), box, { timeout: 10_000 });
  // A handle keeps its element (and whatever the element's listeners hold) alive: heap checks.
  await box?.dispose();
  return dialog;
}
