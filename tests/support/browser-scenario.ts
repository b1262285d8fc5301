import type { Frame, Page } from "playwright-core";
import { ready } from "../../shared/crypto/index.ts";
import { ScriptedCounselor, type ScriptedChat } from "./browser-counselor.ts";
import { type LaunchOptions, launchBrowser, type ProbedBrowser } from "./browser-launch.ts";
import { type Helpline, type HelplineOptions, startHelpline } from "./browser-servers.ts";
import { addCounselor, type StaffMember, setupTestOrg, type TestOrg } from "./browser-staff.ts";
import { openWidget, startChat } from "./browser-widget.ts";

/**
 * One survivor scenario: the helpline and a partner site, an organisation with scripted
 * counselors signed in and available, and a fresh survivor browser with one tab. `close`
 * tears everything down (the browser's profile directory included).
 */
export type Scenario = Readonly<{
  helpline: Helpline;
  org: TestOrg;
  members: readonly StaffMember[];
  counselors: readonly ScriptedCounselor[];
  survivor: ProbedBrowser;
  page: Page;
  close: () => Promise<void>;
}>;

export type ScenarioOptions = Readonly<{
  counselors?: number;
  launch?: LaunchOptions;
  helpline?: HelplineOptions;
}>;

const NAMES = ["Ayesha", "Bilal", "Sana"] as const;

export async function startScenario(options: ScenarioOptions = {}): Promise<Scenario> {
  await ready();
  const helpline = await startHelpline(options.helpline);
  const cleanup: (() => Promise<void> | void)[] = [() => helpline.close()];
  const close = async () => {
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => {});
  };
  try {
    const org = await setupTestOrg(helpline);
    const members: StaffMember[] = [];
    const counselors: ScriptedCounselor[] = [];
    for (let i = 0; i < (options.counselors ?? 1); i++) {
      const name = NAMES[i] ?? `Counselor ${i}`;
      const member = await addCounselor(helpline.origin, org, `counselor${i}`, name);
      members.push(member);
      const counselor = await ScriptedCounselor.connect(helpline.origin, member);
      cleanup.push(() => counselor.close());
      counselors.push(counselor);
    }
    const survivor = await launchBrowser(options.launch);
    cleanup.push(() => survivor.dispose());
    // One tab, so its history is the survivor's whole history.
    const page = survivor.context.pages()[0] ?? (await survivor.context.newPage());
    return { helpline, org, members, counselors, survivor, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * What the survivor's tab shows and what its targets logged, for a failing test's message (the
 * frame's visible text, console lines, socket traffic counts, server log tail). Never called
 * with a canary on screen in a passing run, so it plants nothing.
 */
export async function describeSurvivor(scenario: Scenario): Promise<string> {
  const { page, survivor, helpline } = scenario;
  const frames = await Promise.all(
    page.frames().map(
      async (f) =>
        `${f.url()}: ${(
          await f
            .locator("body")
            .textContent()
            .catch(() => "?")
        )?.slice(0, 600)}`,
    ),
  );
  const consoleLines = survivor.traffic.console.map((l) => `[${l.targetType}] ${l.text}`).slice(-20);
  const sockets = `ws frames: page ${survivor.traffic.framesFrom("page").length}, iframe ${survivor.traffic.framesFrom("iframe").length}, worker ${survivor.traffic.framesFrom("worker").length}`;
  return [
    "frames:",
    ...frames,
    "console:",
    ...consoleLines,
    sockets,
    "requests:",
    ...survivor.traffic.requests
      .slice(-15)
      .map((r) => `[${r.targetType}] ${r.method} ${r.url.slice(0, 120)}`),
    `target init errors: ${survivor.targets.initErrors().join("; ")}`,
    "server log tail:",
    ...helpline.logs.slice(-10),
  ].join("\n");
}

/** Runs an assertion; if it fails, adds what the survivor's tab shows to the error. */
export async function explained<T>(scenario: Scenario, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    const state = await describeSurvivor(scenario).catch(() => "(no state)");
    throw new Error(`${(error as Error).message}\n--- survivor state ---\n${state}`);
  }
}

/**
 * The usual start: the survivor opens the partner page (`/` unless given), opens the widget and
 * starts a chat, and the first scripted counselor takes it.
 */
export async function openChat(
  scenario: Scenario,
  partnerPage: string = scenario.helpline.partner.page("/"),
): Promise<Readonly<{ frame: Frame; chat: ScriptedChat }>> {
  await scenario.page.goto(partnerPage);
  const frame = await openWidget(scenario.page, scenario.helpline.origin);
  await startChat(frame);
  const chat = await scenario.counselors[0]!.nextChat();
  return { frame, chat };
}
