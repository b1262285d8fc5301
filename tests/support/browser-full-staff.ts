import type { Page } from "playwright-core";
import { consoleScreen, ct } from "./browser-console.ts";

/**
 * A second staff member brought in through the console the way people do it: the admin
 * invites on the staff screen and reads the one-time code off the dialog, the new member
 * enrolls at #/enroll in their own browser, the admin certifies the key, the member unlocks.
 */
export type NewMember = Readonly<{ username: string; displayName: string; password: string }>;

/** On the admin's staff screen: fills the invite form and returns the code the dialog shows once. */
export async function inviteMember(admin: Page, member: NewMember): Promise<string> {
  const form = admin.getByRole("form", { name: ct("staff.invite") });
  await form.getByLabel(ct("field.username"), { exact: true }).fill(member.username);
  await form.getByLabel(ct("field.displayName"), { exact: true }).fill(member.displayName);
  await form.getByRole("button", { name: ct("staff.sendInvite") }).click();
  const dialog = admin.getByRole("dialog", { name: ct("staff.codeTitle") });
  const code = (await dialog.locator("code").textContent({ timeout: 15_000 }))?.trim() ?? "";
  if (code === "") throw new Error("the invite dialog shows no code");
  await dialog.getByRole("button", { name: ct("common.done") }).click();
  return code;
}

/** In the member's own browser: the enroll screen, until it says the account was created. */
export async function enrollMember(
  page: Page,
  origin: string,
  member: NewMember,
  code: string,
): Promise<void> {
  await page.goto(`${origin}/console/#/enroll`);
  await page.getByRole("heading", { name: ct("enroll.title") }).waitFor({ timeout: 30_000 });
  await page.getByLabel(ct("field.username"), { exact: true }).fill(member.username);
  await page.getByLabel(ct("field.inviteCode"), { exact: true }).fill(code);
  await page.getByLabel(ct("field.newPassword"), { exact: true }).fill(member.password);
  await page.getByLabel(ct("field.repeatPassword"), { exact: true }).fill(member.password);
  await page.getByRole("button", { name: ct("enroll.submit") }).click();
  // Argon2id and key generation run in the browser.
  await page.getByRole("heading", { name: ct("enroll.doneTitle") }).waitFor({ timeout: 60_000 });
}

/** On the admin's staff screen: Certify in the member's row, until the row says Certified. */
export async function certifyMember(admin: Page, member: NewMember): Promise<void> {
  const row = admin
    .getByRole("row")
    .filter({ has: admin.getByRole("rowheader", { name: member.displayName }) });
  await row.getByRole("button", { name: ct("staff.certify") }).click();
  await row.getByText(ct("staffState.certified"), { exact: true }).waitFor({ timeout: 30_000 });
}

/** The login (unlock) screen, until the desk's main navigation shows. */
export async function unlockConsole(page: Page, origin: string, member: NewMember): Promise<void> {
  await page.goto(`${origin}/console/#/chats`);
  await page.getByRole("heading", { name: ct("login.title") }).waitFor({ timeout: 30_000 });
  await logIn(page, member);
}

/** On the login screen: username, password, Log in, until the desk's main navigation shows. */
export async function logIn(page: Page, member: Pick<NewMember, "username" | "password">): Promise<void> {
  await page.getByLabel(ct("field.username"), { exact: true }).fill(member.username);
  await page.getByLabel(ct("field.password"), { exact: true }).fill(member.password);
  await page.getByRole("button", { name: ct("login.submit") }).click();
  // Argon2id runs in the browser: allow it time on a slow machine.
  await page.getByRole("navigation", { name: ct("nav.main") }).waitFor({ timeout: 90_000 });
}

/**
 * Invite, enroll in the member's own browser, certify, unlock: the admin stays on the staff
 * screen throughout (the enrolled row, and its Certify button, appear there by themselves).
 */
export async function bringInColleague(
  admin: Page,
  memberPage: Page,
  origin: string,
  member: NewMember,
): Promise<void> {
  await consoleScreen(admin, "#/admin/staff");
  const code = await inviteMember(admin, member);
  await admin
    .getByRole("row")
    .filter({ has: admin.getByRole("rowheader", { name: member.displayName }) })
    .getByText(ct("staffState.invited"), { exact: true })
    .waitFor({ timeout: 30_000 });
  await enrollMember(memberPage, origin, member, code);
  await certifyMember(admin, member);
  await unlockConsole(memberPage, origin, member);
}
