import type { Page } from "playwright-core";
import { en as consoleEn } from "../../console/src/i18n/en.ts";
import { ur as consoleUr } from "../../console/src/i18n/ur.ts";

/**
 * Drives the counselor console the way a person would, finding controls by their English
 * labels from the console's own catalogue (so a renamed label fails here, not silently).
 */
export type ConsoleKey = keyof typeof consoleEn;
export const ct = (key: ConsoleKey, language: "en" | "ur" = "en"): string =>
  (language === "ur" ? consoleUr : consoleEn)[key];

export const CONSOLE_SCREENS = [
  "#/chats",
  "#/supervise",
  "#/admin/staff",
  "#/admin/partners",
  "#/admin/hours",
  "#/admin/canned",
  "#/admin/referrals",
  "#/admin/settings",
  "#/stats",
] as const;

export type ConsoleAccount = Readonly<{ username: string; displayName: string; password: string }>;

/** A helpline whose setup is pending: where it is, and the one-time code its start printed. */
export type FreshHelpline = Readonly<{ origin: string; instance: Readonly<{ setupCode: string | null }> }>;

/** First run: creates the org key and the first admin in this browser, then waits for the desk. */
export async function setupConsole(
  page: Page,
  helpline: FreshHelpline,
  account: ConsoleAccount,
): Promise<void> {
  await page.goto(`${helpline.origin}/console/`);
  await page.getByRole("heading", { name: ct("setup.title") }).waitFor({ timeout: 30_000 });
  await page.getByLabel(ct("setup.code"), { exact: true }).fill(helpline.instance.setupCode ?? "");
  await page.getByLabel(ct("field.username"), { exact: true }).fill(account.username);
  await page.getByLabel(ct("field.displayName"), { exact: true }).fill(account.displayName);
  await page.getByLabel(ct("field.newPassword"), { exact: true }).fill(account.password);
  await page.getByLabel(ct("field.repeatPassword"), { exact: true }).fill(account.password);
  await page.getByRole("button", { name: ct("setup.submit") }).click();
  // Argon2id and key generation run in the browser: allow them time on a slow machine.
  await page.getByRole("navigation", { name: ct("nav.main") }).waitFor({ timeout: 90_000 });
}

export async function consoleLanguage(page: Page, language: "en" | "ur"): Promise<void> {
  await page.locator("#ui-language").selectOption(language);
  await page.waitForFunction((l) => document.documentElement.lang === l, language);
}

export async function consoleScreen(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForFunction((h) => location.hash === h, hash);
  // Screens load their data over the API; let them settle.
  await page.waitForLoadState("networkidle").catch(() => {});
}

/** End chat on the open chat, confirm, and wait for the wrap-up form. */
export async function endChat(page: Page): Promise<void> {
  await page
    .getByRole("button", { name: ct("chat.end") })
    .first()
    .click();
  await page
    .getByRole("dialog")
    .getByRole("button", { name: ct("chat.end") })
    .click();
  await page.getByRole("heading", { name: ct("wrapup.title") }).waitFor({ timeout: 30_000 });
}

/**
 * Fills the wrap-up form (platform, the first harassment type, the first caller; "difficult"
 * when asked) and submits.
 */
export async function submitWrapUp(
  page: Page,
  platform: string,
  options: Readonly<{ difficult?: boolean }> = {},
): Promise<void> {
  await page.locator("#wrapup-platform").selectOption(platform);
  await page.locator("#wrapup-harassment input[type=checkbox]").first().check();
  await page.locator('input[name="wrapup-caller"]').first().check();
  if (options.difficult) await page.getByLabel(ct("wrapup.difficult")).check();
  await page.getByRole("button", { name: ct("wrapup.submit") }).click();
}
