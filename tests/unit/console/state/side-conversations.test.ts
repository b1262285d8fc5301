import { describe, expect, it } from "vitest";
import type { SessionId, SideId, StaffId } from "../../../../shared/protocol/index.ts";
import {
  askedMinutesAgo,
  initialSide,
  type SideAction,
  sideForChat,
  sideReducer,
} from "../../../../console/src/state/side-conversations.ts";

const S = "QQQQQQQQQQQQQQQQQQQQQQ" as SessionId;
const R = "UlVSUlJSUlJSUlJSUlJSUg" as SideId;
const run = (actions: SideAction[]) => actions.reduce(sideReducer, initialSide);
const line = (body: string, from: "me" | "peer" = "me") => ({ id: body, from, body, at: 1 });

describe("side conversations state", () => {
  it("takes lines only while open, and drops text and the chat's id when it ends", () => {
    const state = run([
      { type: "asked", requestId: R, sessionId: S },
      { type: "line", requestId: R, line: line("too early") },
      { type: "connecting", requestId: R },
      { type: "opened", requestId: R, peerName: "Zara" },
      { type: "line", requestId: R, line: line("hello") },
      { type: "line", requestId: R, line: line("hi", "peer") },
    ]);
    expect(state.conversations[0]?.messages.map((m) => m.body)).toEqual(["hello", "hi"]);
    expect(sideForChat(state, S)?.peerName).toBe("Zara");
    const ended = sideReducer(state, { type: "ended", requestId: R, reason: "chat-ended" });
    expect(ended.conversations[0]).toMatchObject({
      phase: "ended",
      messages: [],
      sessionId: null,
      endReason: "chat-ended",
    });
    expect(sideForChat(ended, S)).toBeNull();
    // Nothing changes an ended conversation but dismissing it.
    expect(sideReducer(ended, { type: "line", requestId: R, line: line("late") })).toBe(ended);
    expect(sideReducer(ended, { type: "dismiss", requestId: R }).conversations).toEqual([]);
  });

  it("a helper starts connecting with the name the relay gave; wipe-all forgets everything", () => {
    const state = run([
      {
        type: "requests",
        requests: [{ requestId: R, counselor: "c" as StaffId, counselorName: "Bilal", waitingSeconds: 90 }],
        at: 1000,
      },
      { type: "offering", requestId: R, counselor: "c" as StaffId, counselorName: "Bilal" },
    ]);
    expect(state.conversations[0]).toMatchObject({ role: "helper", phase: "connecting", peerName: "Bilal" });
    expect(sideReducer(state, { type: "wipe-all" })).toEqual(initialSide);
  });

  it("counts whole minutes from the relay's wait plus the local time since", () => {
    const request = { requestId: R, counselor: "c" as StaffId, counselorName: "B", waitingSeconds: 90 };
    expect(askedMinutesAgo(request, 1000, 1000)).toBe(1);
    expect(askedMinutesAgo(request, 1000, 31_000)).toBe(2);
    expect(askedMinutesAgo({ ...request, waitingSeconds: 0 }, 1000, 500)).toBe(0);
  });
});
