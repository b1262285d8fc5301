import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { makeCanary } from "../support/browser-canary.ts";
import { explained, openChat, type Scenario, startScenario } from "../support/browser-scenario.ts";
import { sendMessage } from "../support/browser-widget.ts";
import { needService } from "../support/services.ts";

/**
 * A network that blocks WebSocket: the helpline refuses every WebSocket upgrade that comes from
 * the survivor's sandboxed frame (`Origin: null`), as a blocking proxy would, while the scripted
 * counselor (Node, its own Origin) keeps its WebSocket. The chat must still work both ways over
 * socket.io's long-polling, whose requests from the opaque-origin frame need the relay's CORS
 * answer for `Origin: null`.
 */
const run = await needService("chromium");

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

function refuseFrameWebSockets(scenario: Scenario): { refused: () => number } {
  const server = scenario.helpline.instance.httpServer;
  const original = server.listeners("upgrade") as UpgradeListener[];
  server.removeAllListeners("upgrade");
  let refused = 0;
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.headers.origin === "null") {
      refused++;
      socket.destroy();
      return;
    }
    for (const listener of original) listener.call(server, req, socket, head);
  });
  return { refused: () => refused };
}

describe.runIf(run)("long-polling fallback", () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.close();
    scenario = undefined;
  });

  it("chats both ways from the sandboxed frame when WebSocket connections are refused", async () => {
    scenario = await startScenario();
    const current = scenario;
    const blocker = refuseFrameWebSockets(current);
    const { page, survivor } = current;
    const { frame, chat } = await explained(current, () => openChat(current));

    const canary = makeCanary();
    await sendMessage(page, frame, canary);
    await explained(current, () =>
      expect
        .poll(() => chat.received.some((p) => p.type === "text" && p.body === canary), { timeout: 30_000 })
        .toBe(true),
    );
    chat.text("the counselor answers over polling");
    await frame.getByText("the counselor answers over polling").waitFor({ timeout: 30_000 });

    // The frame tried WebSocket and was refused; everything went over polling requests.
    expect(blocker.refused()).toBeGreaterThan(0);
    expect(survivor.traffic.framesFrom("iframe")).toEqual([]);
    const polls = survivor.traffic.requests.filter(
      (r) => r.targetType === "iframe" && r.url.includes("/relay/") && r.url.includes("transport=polling"),
    );
    expect(polls.some((r) => r.method === "POST")).toBe(true);
    expect(polls.some((r) => r.method === "GET")).toBe(true);
  });
});
