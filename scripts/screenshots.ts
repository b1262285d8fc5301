import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { ready } from "../shared/crypto/index.ts";
import {
  CONSOLE_SCREENS,
  consoleLanguage,
  consoleScreen,
  ct,
  endChat,
  setupConsole,
} from "../tests/support/browser-console.ts";
import {
  certifyMember,
  enrollMember,
  inviteMember,
  unlockConsole,
} from "../tests/support/browser-full-staff.ts";
import { ScriptedCounselor } from "../tests/support/browser-counselor.ts";
import { CHROMIUM_ARGS } from "../tests/support/browser-launch.ts";
import { startHelpline } from "../tests/support/browser-servers.ts";
import { addCounselor, setupTestOrg } from "../tests/support/browser-staff.ts";
import { catalogue, openWidget, sendMessage } from "../tests/support/browser-widget.ts";
import { root } from "../tests/support/imports.ts";
import { chromiumPath } from "../tests/support/services.ts";

/**
 * `npm run screenshots` (after `npm run build`): every widget screen (390×844, a phone) and
 * the main console screens (1280×720) in English and Urdu, into docs/screenshots/. Uses the
 * same harness as the browser tests: a real server on 127.0.0.1, a partner page on
 * 127.0.0.2, Debian's Chromium.
 */
const OUT = join(root, "docs", "screenshots");
const LANGUAGES = ["en", "ur"] as const;
const ADMIN = { username: "admin", password: "a long passphrase for screenshots" };
const COLLEAGUE = { username: "bilal", displayName: "Bilal", password: "another long passphrase here" };

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

async function widgetScreens(browser: Browser): Promise<void> {
  const helpline = await startHelpline();
  try {
    const org = await setupTestOrg(helpline);
    const member = await addCounselor(helpline.origin, org, "ayesha", "Ayesha");
    for (const language of LANGUAGES) {
      const t = catalogue(language);
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: language });
      const page = await context.newPage();
      const partner = helpline.partner.page(`/shots-${language}`, { language });

      await page.goto(partner);
      await shot(page, `widget-${language}-1-launcher`);
      await helpline.setOpen(false);
      let frame = await openWidget(page, helpline.origin, language);
      await frame.getByRole("heading", { name: t.closedTitle }).waitFor();
      await shot(page, `widget-${language}-2-closed`);

      await helpline.setOpen(true);
      await page.goto(partner);
      frame = await openWidget(page, helpline.origin, language);
      await frame.getByRole("button", { name: t.startButton }).waitFor();
      await shot(page, `widget-${language}-3-start`);
      // No counselor yet: the survivor waits in the queue.
      await frame.getByRole("button", { name: t.startButton }).click();
      await frame.getByText(t.waitingPhase.queued).waitFor({ timeout: 60_000 });
      await shot(page, `widget-${language}-4-waiting`);

      const counselor = await ScriptedCounselor.connect(helpline.origin, member);
      const chat = await counselor.nextChat();
      await frame.getByRole("textbox", { name: t.messageLabel }).waitFor();
      await sendMessage(page, frame, language === "ur" ? "مجھے مدد چاہیے" : "I need help", language);
      chat.text(language === "ur" ? "میں یہاں ہوں۔ آپ محفوظ ہیں۔" : "I am here. You are safe with us.");
      await page.waitForTimeout(1_000);
      await shot(page, `widget-${language}-5-chat`);
      await frame.getByRole("button", { name: t.endChat }).click();
      await frame.getByRole("button", { name: t.endErase }).click();
      await frame.getByRole("heading", { name: t.endedTitle }).waitFor();
      await shot(page, `widget-${language}-6-ended`);
      counselor.close();
      await context.close();
    }
  } finally {
    await helpline.close();
  }
}

async function consoleScreens(browser: Browser): Promise<void> {
  const helpline = await startHelpline();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${helpline.origin}/console/`);
    await page.waitForLoadState("networkidle");
    await shot(page, "console-en-setup");
    await setupConsole(page, helpline, {
      username: "admin",
      displayName: "Admin",
      password: "a long passphrase for screenshots",
    });
    for (const language of LANGUAGES) {
      await consoleLanguage(page, language);
      for (const screen of CONSOLE_SCREENS) {
        await consoleScreen(page, screen);
        await shot(page, `console-${language}-${screen.replace(/^#\//, "").replaceAll("/", "-")}`);
      }
    }
    await context.close();
  } finally {
    await helpline.close();
  }
}

/**
 * The screens around a live chat, in both languages: the unlock and enroll screens, a chat in
 * progress (messages, safety code), the transfer dialog listing a certified colleague, and the
 * wrap-up form. The chat is real: a survivor in another context, the colleague invited,
 * enrolled and certified through the console.
 */
async function chatScreens(browser: Browser): Promise<void> {
  const helpline = await startHelpline();
  const origin = helpline.origin;
  const contexts: BrowserContext[] = [];
  const newPage = async (viewport: { width: number; height: number }) => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  };
  const desk = { width: 1280, height: 720 };
  try {
    const admin = await newPage(desk);
    await setupConsole(admin, helpline, { ...ADMIN, displayName: "Ayesha" });
    await consoleScreen(admin, "#/admin/staff");
    const code = await inviteMember(admin, COLLEAGUE);

    const colleague = await newPage(desk);
    for (const language of LANGUAGES) {
      await colleague.goto(`${origin}/console/#/enroll`);
      await consoleLanguage(colleague, language);
      await colleague.getByRole("heading", { name: ct("enroll.title", language) }).waitFor();
      await shot(colleague, `console-${language}-enroll`);
    }
    await consoleLanguage(colleague, "en");
    await enrollMember(colleague, origin, COLLEAGUE, code);
    await consoleScreen(admin, "#/chats");
    await consoleScreen(admin, "#/admin/staff");
    await certifyMember(admin, COLLEAGUE);
    await colleague.goto(`${origin}/console/#/chats`);
    for (const language of LANGUAGES) {
      await consoleLanguage(colleague, language);
      await colleague.getByRole("heading", { name: ct("login.title", language) }).waitFor();
      await shot(colleague, `console-${language}-unlock`);
    }
    await consoleLanguage(colleague, "en");
    await unlockConsole(colleague, origin, COLLEAGUE);
    await colleague.locator("#status-select").selectOption("available");

    await consoleScreen(admin, "#/chats");
    await admin.locator("#status-select").selectOption("available");
    const survivor = await newPage({ width: 390, height: 844 });
    const t = catalogue("en");
    await survivor.goto(helpline.partner.page("/shots-chat"));
    const frame = await openWidget(survivor, origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    const message = admin.getByRole("textbox", { name: ct("chat.message") });
    await message.waitFor({ timeout: 60_000 });
    await frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ timeout: 60_000 });
    await sendMessage(survivor, frame, "Someone is sharing my photos and threatening me.");
    await admin.getByText("Someone is sharing my photos").waitFor({ timeout: 30_000 });
    await message.click();
    await admin.keyboard.type("I am here with you. You did the right thing by reaching out.");
    await admin.getByRole("button", { name: ct("chat.send"), exact: true }).click();
    await sendMessage(survivor, frame, "مجھے نہیں معلوم کہ کیا کروں");
    await admin.getByText("مجھے نہیں معلوم").waitFor({ timeout: 30_000 });

    for (const language of LANGUAGES) {
      await consoleLanguage(admin, language);
      await shot(admin, `console-${language}-chat-active`);
      await admin.getByRole("button", { name: ct("chat.transfer", language) }).click();
      const dialog = admin.getByRole("dialog", { name: ct("transfer.title", language) });
      await dialog.getByRole("radio", { name: new RegExp(COLLEAGUE.displayName) }).waitFor();
      await shot(admin, `console-${language}-transfer`);
      await dialog.getByRole("button", { name: ct("common.cancel", language) }).click();
    }
    await consoleLanguage(admin, "en");
    await endChat(admin);
    for (const language of LANGUAGES) {
      await consoleLanguage(admin, language);
      await shot(admin, `console-${language}-wrapup`);
    }
  } finally {
    for (const context of contexts) await context.close();
    await helpline.close();
  }
}

async function main(): Promise<void> {
  await ready();
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...CHROMIUM_ARGS] });
  try {
    await widgetScreens(browser);
    await consoleScreens(browser);
    await chatScreens(browser);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
