import { afterEach, describe, expect, it } from "vitest";
import { POW_CHALLENGE_TTL_MS, SURVIVOR_NAMESPACE } from "../../shared/protocol/index.ts";
import { ScriptedCounselor } from "../support/browser-counselor.ts";
import { emulateNetwork, OFFLINE, UNLIMITED } from "../support/browser-network.ts";
import { explained, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { addCounselor } from "../support/browser-staff.ts";
import { catalogue, openWidget, sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * A survivor on a slow, flaky phone network, in real Chromium, where the existing scenarios
 * (network-drop, slow-network, polling-fallback, queue-keep-alive, back-forward-cache) stop:
 * what happens when Start is pressed late, when the connection drops more than once, and when
 * a first attempt fails and the survivor tries again.
 */
const run = await needService("chromium");

/** Longer than the frame waits for a join's answer (adapters/relay-socket.ts, 15 s). */
const JOIN_DELAY_MS = 17_000;

/**
 * The relay loses the survivor's connection, as when a phone's link dies (the server side of
 * the transport closes; the frame's socket.io reconnects by itself), and the frame resumes.
 * Resolves once the relay holds a new socket bound to the session again.
 */
async function dropAndResume(scenario: Scenario): Promise<void> {
  const survivors = scenario.helpline.instance.io.of(SURVIVOR_NAMESPACE);
  const before = [...survivors.sockets.values()];
  expect(before.length).toBe(1);
  for (const socket of before) socket.conn.close();
  await explained(scenario, () =>
    expect
      .poll(
        () =>
          [...survivors.sockets.values()].filter(
            (socket) => !before.includes(socket) && socket.data.sessionId !== null && socket.data.sessionId,
          ).length,
        { timeout: 30_000 },
      )
      .toBe(1),
  );
}

describe.runIf(run)("a survivor on a flaky network", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("who reads the start screen longer than a challenge lives still gets a counselor after pressing Start", async () => {
    // The relay's clock moves on while the survivor reads (a slow reader, or a phone put down):
    // the challenge the frame was given on opening has expired when Start is pressed.
    let offset = 0;
    scenario = await startScenario({ helpline: { overrides: { now: () => Date.now() + offset } } });
    const current = scenario;
    const { page, helpline } = current;
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).waitFor();
    // The early connection has its challenge by now (the relay sends it on connecting).
    await expect.poll(() => helpline.instance.relay.counts().survivors, { timeout: 20_000 }).toBe(1);
    await page.waitForTimeout(500);
    offset += POW_CHALLENGE_TTL_MS + 1_000;
    await frame.getByRole("button", { name: t.startButton }).click();
    // The expired proof is refused, the relay sends a fresh challenge with the refusal, and
    // the frame must take that one up instead of waiting for ever on "Finding a counselor".
    await explained(current, () =>
      frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ state: "visible", timeout: 30_000 }),
    );
    await current.counselors[0]!.nextChat(10_000);
  });

  it("keeps the chat through a second drop when the first came while queued", async () => {
    scenario = await startScenario({ counselors: 0 });
    const current = scenario;
    const { page, helpline, org } = current;
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    await frame.getByText(t.waitingPhase.queued).waitFor({ timeout: 30_000 });

    // First drop while nobody has taken the chat yet: the frame resumes with a fresh token.
    await dropAndResume(current);
    // A counselor comes; the chat opens and the survivor writes (the relay takes the frame as
    // proof that the fresh token arrived, and withdraws the one used to resume).
    const member = await addCounselor(helpline.origin, org, "late", "Zara");
    const counselor = await ScriptedCounselor.connect(helpline.origin, member);
    try {
      const chat = await counselor.nextChat(30_000);
      await frame
        .getByRole("textbox", { name: t.messageLabel })
        .waitFor({ state: "visible", timeout: 30_000 });
      await frame
        .getByRole("button", { name: t.send })
        .and(frame.locator(":enabled"))
        .waitFor({ timeout: 30_000 });
      await sendMessage(page, frame, "before the second drop");
      const texts = () => chat.received.flatMap((p) => (p.type === "text" ? [p.body] : []));
      await expect.poll(texts, { timeout: 20_000 }).toEqual(["before the second drop"]);

      // Second drop: the resume must use the token the first resume handed out.
      await dropAndResume(current);
      await sendMessage(page, frame, "after the second drop");
      await explained(current, () =>
        expect.poll(texts, { timeout: 30_000 }).toEqual(["before the second drop", "after the second drop"]),
      );
      expect(chat.ended).toBeNull();
      expect(await frame.getByText(t.endReason["connection-lost"]).count()).toBe(0);
    } finally {
      counselor.close();
    }
  });

  it("whose first Start failed on a download the network dropped can start again once it is back", async () => {
    scenario = await startScenario();
    const current = scenario;
    const { page, helpline } = current;
    const t = catalogue("en");
    // libsodium's WebAssembly does not arrive (the link dropped while the widget opened).
    const wasm = `${helpline.origin}/frame/assets/*.wasm`;
    await page.context().route(wasm, (route) => route.abort("internetdisconnected"));
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    await frame.getByText(t.startError["connect-failed"]).waitFor({ timeout: 30_000 });
    // The network is back; the survivor does what the message says and tries again.
    await page.context().unroute(wasm);
    await frame.getByRole("button", { name: t.startButton }).click();
    await explained(current, () =>
      frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ state: "visible", timeout: 30_000 }),
    );
    await current.counselors[0]!.nextChat(10_000);
  });

  it("whose relay client's download was dropped is told so, and gets a counselor once the network is back", async () => {
    scenario = await startScenario();
    const current = scenario;
    const { page, helpline } = current;
    const t = catalogue("en");
    // The socket.io client comes in a chunk of its own after the entry (adapters/lazy-relay.ts).
    const chunk = `${helpline.origin}/frame/assets/relay-socket-*.js`;
    await page.context().route(chunk, (route) => route.abort("internetdisconnected"));
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    // Not "Securing the connection…" for ever: the connection is down, and said to be.
    await explained(current, () => frame.getByText(t.reconnecting).waitFor({ timeout: 30_000 }));
    // The network is back: the chunk is asked for again and the chat goes on by itself.
    await page.context().unroute(chunk);
    await explained(current, () =>
      frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ state: "visible", timeout: 30_000 }),
    );
    await current.counselors[0]!.nextChat(10_000);
  });

  it("whose join was answered too late gets one chat on trying again, and no counselor is given a ghost", async () => {
    scenario = await startScenario();
    const current = scenario;
    const { page, helpline, counselors } = current;
    const t = catalogue("en");
    // The first join reaches the relay only after the frame has stopped waiting for its answer
    // (15 s): a link that stalls, then delivers.
    let delayed = 0;
    helpline.instance.io.of(SURVIVOR_NAMESPACE).on("connection", (socket) => {
      socket.use(([event], next) => {
        if (event === "join" && delayed++ === 0) setTimeout(() => next(), JOIN_DELAY_MS);
        else next();
      });
    });
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    await frame.getByText(t.startError["connect-failed"]).waitFor({ timeout: 30_000 });
    await frame.getByRole("button", { name: t.startButton }).click();
    await explained(current, () =>
      frame.getByRole("textbox", { name: t.messageLabel }).waitFor({ state: "visible", timeout: 30_000 }),
    );
    const chat = await counselors[0]!.nextChat(10_000);
    // Past the moment the first join was finally handled.
    await page.waitForTimeout(JOIN_DELAY_MS);
    await sendMessage(page, frame, "one chat only");
    await expect.poll(() => chat.received.some((p) => p.type === "text"), { timeout: 20_000 }).toBe(true);
    // One connection and one chat for the one survivor: the attempt that failed was closed, so
    // its late join found no one and nothing was queued or assigned for it.
    const counts = helpline.instance.relay.counts();
    expect({ survivors: counts.survivors, waiting: counts.waiting, active: counts.active }).toEqual({
      survivors: 1,
      waiting: 0,
      active: 1,
    });
    expect(counselors[0]!.chats).toHaveLength(1);
  });

  it("is told the truth while offline: the queue says it is reconnecting, a message written offline says Sending until it leaves", async () => {
    scenario = await startScenario({ counselors: 0 });
    const current = scenario;
    const { page, helpline, org, survivor } = current;
    const t = catalogue("en");
    await page.goto(helpline.partner.page("/"));
    const frame = await openWidget(page, helpline.origin);
    await frame.getByRole("button", { name: t.startButton }).click();
    await frame.getByText(t.waitingPhase.queued).waitFor({ timeout: 30_000 });
    const survivors = helpline.instance.io.of(SURVIVOR_NAMESPACE);

    // In the queue, the link dies: the waiting screen says so, and says so no longer once back.
    await emulateNetwork(survivor, OFFLINE);
    for (const socket of survivors.sockets.values()) socket.conn.close();
    await explained(current, () => frame.getByText(t.reconnecting).waitFor({ timeout: 15_000 }));
    await emulateNetwork(survivor, UNLIMITED);
    await frame.getByText(t.reconnecting).waitFor({ state: "detached", timeout: 30_000 });

    const member = await addCounselor(helpline.origin, org, "late", "Zara");
    const counselor = await ScriptedCounselor.connect(helpline.origin, member);
    try {
      const chat = await counselor.nextChat(30_000);
      await frame
        .getByRole("button", { name: t.send })
        .and(frame.locator(":enabled"))
        .waitFor({ timeout: 30_000 });
      // In the chat, the link dies again; the survivor writes while it is down.
      await emulateNetwork(survivor, OFFLINE);
      for (const socket of survivors.sockets.values()) socket.conn.close();
      await frame.getByText(t.reconnecting).waitFor({ timeout: 15_000 });
      await sendMessage(page, frame, "written offline");
      const mine = frame.locator("li.msg.mine").filter({ hasText: "written offline" }).locator(".meta");
      await page.waitForTimeout(2_000);
      // Still on this phone: not "Sent".
      expect(await mine.textContent()).toBe(t.messageState.sending);
      await emulateNetwork(survivor, UNLIMITED);
      await explained(current, () =>
        expect
          .poll(() => chat.received.flatMap((p) => (p.type === "text" ? [p.body] : [])), { timeout: 30_000 })
          .toEqual(["written offline"]),
      );
      await expect.poll(() => mine.textContent(), { timeout: 15_000 }).toBe(t.messageState.delivered);
    } finally {
      counselor.close();
    }
  });
});
