import type { Frame, Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { type SessionId, SURVIVOR_NAMESPACE, WAITING_KEEPALIVE_MS } from "../../shared/protocol/index.ts";
import { explained, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { catalogue, openWidget } from "../support/browser-widget.ts";
import { api } from "../support/http-client.ts";
import { needService } from "../support/services.ts";

/**
 * Finding 0 of the abuse review, end to end: a waiting session's record used to expire at idle
 * timeout + grace + 60 s after the join (about 22 minutes), as nothing wrote to it, while its
 * survivor was still connected and shown "You are next.". Here two real widget frames wait while
 * the server's clock (createRelay's `now`, a test-only override) is moved forward between the
 * frames' own keep-alives, which run on real 30 s timers, to well past that expiry. Idle timeout
 * and grace are shortened so the expiry is 2 minutes instead of 22 and the test takes about two
 * minutes; the silence limit (WAITING_SILENCE_MS) keeps its production value, so each keep-alive
 * must still arrive in time. Both keep their place; one page is closed and its place is freed;
 * the other is then served when a counselor can take it.
 */
const run = await needService("chromium");

const IDLE_MS = 30_000;
const GRACE_MS = 30_000;
/** When the record expired if nothing refreshed it (server/relay/sessions.ts, recordExpiry). */
const OLD_EXPIRY_MS = IDLE_MS + GRACE_MS + 60_000;
/**
 * Server time added after every round of keep-alives. A round ends when both frames have sent
 * one, so at worst a frame's next keep-alive comes STEP_MS + WAITING_KEEPALIVE_MS of server time
 * after its last: 80 s, inside both the 120 s silence limit and the 120 s expiry.
 */
const STEP_MS = 50_000;
const ROUNDS = 3;

/** The counselor's languages, as an admin sets them on the staff screen. */
async function setLanguages(scenario: Scenario, languages: readonly string[]): Promise<void> {
  const { helpline, org, members } = scenario;
  const admin = org.admin;
  const r = await api(helpline.origin, "PATCH", `/api/admin/staff/${members[0]?.id}`, {
    origin: helpline.origin,
    cookie: admin.cookie,
    csrf: admin.csrf,
    body: { languages },
  });
  if (r.status !== 200) throw new Error(`languages not set: ${r.status} ${r.text}`);
}

/** A survivor on the partner page who presses Start (English) and waits until queued. */
async function queue(page: Page, scenario: Scenario, position: number): Promise<Frame> {
  const t = catalogue("en");
  await page.goto(scenario.helpline.partner.page("/"));
  const frame = await openWidget(page, scenario.helpline.origin);
  await frame.getByRole("button", { name: t.startButton }).click();
  await frame.getByText(t.queuePosition(position)).waitFor({ timeout: 90_000 });
  return frame;
}

describe.runIf(run)("a waiting survivor's queue place", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("is kept by the frame's keep-alives past the old expiry, freed when the page is gone, and served", async () => {
    let offset = 0;
    const serverNow = () => Date.now() + offset;
    scenario = await startScenario({
      counselors: 1,
      helpline: {
        overrides: { now: serverNow, relayOptions: { idleTimeoutMs: IDLE_MS, resumeGraceMs: GRACE_MS } },
      },
    });
    const current = scenario;
    const { helpline, survivor, counselors } = current;
    const t = catalogue("en");
    const waiting = () => helpline.instance.relay.counts().waiting;

    // The keep-alives as the relay receives them: session id to the real time of the last one.
    const keptAlive = new Map<SessionId, number>();
    helpline.instance.io.of(SURVIVOR_NAMESPACE).on("connection", (socket) => {
      socket.onAny((event: string, payload: { sessionId?: SessionId }) => {
        if (event === "waiting" && payload?.sessionId) keptAlive.set(payload.sessionId, Date.now());
      });
    });

    // The counselor is available (so the frames show their position) but takes only Urdu chats.
    await setLanguages(current, ["ur"]);
    const first = await queue(current.page, current, 1);
    const joinedAt = serverNow();
    const secondPage = await survivor.context.newPage();
    const second = await queue(secondPage, current, 2);
    // The frame shows its place from the join's reply; the count comes with the push after it,
    // held back up to 250 ms when this join followed the first one's push that closely.
    await expect.poll(waiting, { timeout: 5_000 }).toBe(2);

    for (let round = 0; round < ROUNDS; round++) {
      const since = Date.now();
      const deadline = since + 3 * WAITING_KEEPALIVE_MS;
      while (keptAlive.size < 2 || [...keptAlive.values()].some((at) => at < since)) {
        if (Date.now() > deadline) throw new Error(`round ${round}: a frame sent no keep-alive for 90 s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      offset += STEP_MS;
    }
    // Let a sweep (every 5 s here) run on the last step before looking.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(serverNow() - joinedAt).toBeGreaterThan(2 * OLD_EXPIRY_MS);
    expect(keptAlive.size).toBe(2);
    // The count follows the relay's coalesced pushes: wait for the one after the last step.
    await explained(current, () => expect.poll(waiting, { timeout: 15_000 }).toBe(2));
    await first.getByText(t.queuePosition(1)).waitFor({ timeout: 10_000 });
    await second.getByText(t.queuePosition(2)).waitFor({ timeout: 10_000 });

    // The first survivor's page goes away without a word: the place is freed once the grace
    // period has passed, and the second survivor moves up.
    await current.page.close();
    await expect.poll(() => helpline.instance.relay.counts().survivors, { timeout: 30_000 }).toBe(1);
    offset += GRACE_MS + 1_000;
    await explained(current, () => expect.poll(waiting, { timeout: 30_000 }).toBe(1));
    await second.getByText(t.queuePosition(1)).waitFor({ timeout: 30_000 });

    // A counselor who can take English chats: the one still waiting is served.
    await setLanguages(current, ["en", "ur"]);
    const chat = await counselors[0]?.nextChat(60_000);
    expect(chat).toBeDefined();
    await second.getByRole("textbox", { name: t.messageLabel }).waitFor({ timeout: 60_000 });
    // The relay's counts follow its coalesced pushes (at most every 250 ms).
    await expect.poll(waiting, { timeout: 10_000 }).toBe(0);
  }, 300_000);
});
