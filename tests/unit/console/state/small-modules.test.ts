import { describe, expect, it } from "vitest";
import type { LoadSnapshot, QueueEntry, StaffId } from "../../../../shared/protocol/index.ts";
import type { DirectoryEntry } from "../../../../shared/protocol/http/index.ts";
import {
  authReducer,
  checkNewPassword,
  initialAuth,
  normalizeUsername,
} from "../../../../console/src/state/auth.ts";
import {
  formatWait,
  sortedQueue,
  summarizeLoad,
  transferCandidates,
  waitedNow,
} from "../../../../console/src/state/desk.ts";
import { IDLE_LOCK_MS, idleVerdict } from "../../../../console/src/state/idle.ts";
import { notifyDecision } from "../../../../console/src/state/notify-policy.ts";
import { allowedRoute, parseRoute, routeHash } from "../../../../console/src/state/route.ts";
import { matchShortcut } from "../../../../console/src/state/shortcuts.ts";
import { tabKeyTarget } from "../../../../console/src/state/tab-keys.ts";
import { createStore } from "../../../../console/src/state/store.ts";
import { titleWithBadge } from "../../../../console/src/state/title-badge.ts";
import {
  idleTyping,
  onInput,
  onStop,
  onTick,
  TYPING_PAUSE_MS,
  TYPING_REPEAT_MS,
} from "../../../../console/src/state/typing.ts";
import {
  breakRemaining,
  formatCountdown,
  initialWellbeing,
  wellbeingReducer,
} from "../../../../console/src/state/wellbeing.ts";

const key = (over: Partial<Parameters<typeof matchShortcut>[0]>) =>
  matchShortcut({
    code: "",
    key: "",
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    inField: false,
    ...over,
  });

describe("shortcuts", () => {
  it("maps physical keys, so Alt+N works whatever character the layout types", () => {
    expect(key({ code: "KeyN", key: "˜", altKey: true })).toEqual({ type: "take-next" });
    expect(key({ code: "Digit3", key: "£", altKey: true })).toEqual({ type: "switch-chat", index: 2 });
    expect(key({ key: "Enter", ctrlKey: true })).toEqual({ type: "send" });
    expect(key({ key: "Escape" })).toEqual({ type: "close-dialog" });
    expect(key({ key: "?" })).toEqual({ type: "help" });
  });
  it("leaves plain typing alone", () => {
    expect(key({ key: "?", inField: true })).toBeNull();
    expect(key({ code: "KeyN", key: "n" })).toBeNull();
    expect(key({ code: "Digit0", key: "0", altKey: true })).toBeNull();
  });
});

describe("idle lock", () => {
  it("warns in the last minute and locks at the timeout", () => {
    expect(idleVerdict(0, 60_000).type).toBe("active");
    expect(idleVerdict(0, IDLE_LOCK_MS - 30_000)).toEqual({ type: "warning", remainingMs: 30_000 });
    expect(idleVerdict(0, IDLE_LOCK_MS)).toEqual({ type: "lock" });
  });
});

describe("typing indicator", () => {
  it("sends at most once per interval and a stop after a pause", () => {
    let step = onInput(idleTyping, 1000, false);
    expect(step.send).toBe(true);
    step = onInput(step.state, 1500, false);
    expect(step.send).toBeNull();
    step = onInput(step.state, 1000 + TYPING_REPEAT_MS, false);
    expect(step.send).toBe(true);
    expect(onTick(step.state, 1000 + TYPING_REPEAT_MS + 100).send).toBeNull();
    const stopped = onTick(step.state, 1000 + TYPING_REPEAT_MS + TYPING_PAUSE_MS);
    expect(stopped.send).toBe(false);
    expect(onStop(stopped.state).send).toBeNull();
    expect(onInput(stopped.state, 99_999, true).send).toBeNull();
  });
});

describe("wellbeing", () => {
  it("offers a break after a difficult chat and times it", () => {
    let s = wellbeingReducer(initialWellbeing, { type: "difficult-chat-ended" });
    expect(s.offerBreak).toBe(true);
    s = wellbeingReducer(s, { type: "break-started", now: 0, minutes: 10 });
    expect(s).toEqual({ status: "break", wanted: "break", breakEndsAt: 600_000, offerBreak: false });
    expect(breakRemaining(s, 60_000)).toBe(540_000);
    expect(breakRemaining(s, 700_000)).toBe(0);
    expect(formatCountdown(540_000)).toBe("9:00");
    s = wellbeingReducer(s, { type: "status-confirmed", status: "available" });
    expect(breakRemaining(s, 0)).toBeNull();
  });
  it("keeps the chosen status apart from the confirmed one, and loses only the confirmed one", () => {
    let s = wellbeingReducer(initialWellbeing, { type: "status-wanted", status: "available" });
    expect([s.wanted, s.status]).toEqual(["available", "away"]);
    s = wellbeingReducer(s, { type: "status-confirmed", status: "available" });
    s = wellbeingReducer(s, { type: "status-lost" });
    expect([s.wanted, s.status]).toEqual(["available", "away"]);
  });
});

describe("desk", () => {
  const entry = (id: string, waitingSeconds: number) =>
    ({ sessionId: id.repeat(22), language: "en", partner: "drf", waitingSeconds }) as unknown as QueueEntry;
  it("orders the queue by wait and ticks waits locally", () => {
    expect(sortedQueue([entry("A", 5), entry("B", 90)]).map((e) => e.waitingSeconds)).toEqual([90, 5]);
    expect(waitedNow(30, 1000, 11_500)).toBe(40);
    expect(formatWait(65)).toBe("1:05");
    expect(formatWait(3729)).toBe("1:02:09");
  });
  it("lists certified colleagues with status and load: available with room first, the rest with the reason", () => {
    const load: LoadSnapshot = {
      waiting: 0,
      longestWaitSeconds: 0,
      counselors: [
        {
          id: "me" as StaffId,
          displayName: "Me",
          status: "available",
          chats: 0,
          limit: 2,
          languages: ["en", "ur"],
        },
        {
          id: "full" as StaffId,
          displayName: "Full",
          status: "available",
          chats: 2,
          limit: 2,
          languages: ["en", "ur"],
        },
        {
          id: "away" as StaffId,
          displayName: "Away",
          status: "away",
          chats: 0,
          limit: 2,
          languages: ["en", "ur"],
        },
        {
          id: "busy" as StaffId,
          displayName: "Busy",
          status: "available",
          chats: 1,
          limit: 2,
          languages: ["en", "ur"],
        },
        {
          id: "free" as StaffId,
          displayName: "Free",
          status: "available",
          chats: 0,
          limit: 3,
          languages: ["en", "ur"],
        },
        {
          id: "uncert" as StaffId,
          displayName: "Uncertified",
          status: "available",
          chats: 0,
          limit: 2,
          languages: ["en", "ur"],
        },
      ],
    };
    const dir = ["me", "full", "away", "busy", "free"].map(
      (id) =>
        ({
          id,
          displayName: id,
          role: "counselor",
          identityPublicKey: "k",
          certificate: "c",
        }) as unknown as DirectoryEntry,
    );
    expect(transferCandidates(load, dir, "me" as StaffId).map((c) => [c.id, c.unavailable])).toEqual([
      ["free", null],
      ["busy", null],
      ["away", "away"],
      ["full", "full"],
    ]);
    // Before the first load snapshot: every certified colleague but oneself; the relay decides.
    expect(transferCandidates(null, dir, "me" as StaffId).map((c) => [c.id, c.load])).toEqual([
      ["away", null],
      ["busy", null],
      ["free", null],
      ["full", null],
    ]);
    expect(summarizeLoad(load.counselors)).toEqual({
      available: 5,
      away: 1,
      onBreak: 0,
      offline: 0,
      chats: 3,
      capacity: 8,
    });
  });
});

describe("routes", () => {
  it("parses and prints hash routes, defaulting to chats", () => {
    expect(parseRoute("#/admin/hours")).toEqual({ type: "admin", section: "hours" });
    expect(parseRoute("#/admin/nope")).toEqual({ type: "admin", section: "staff" });
    expect(parseRoute("")).toEqual({ type: "chats" });
    expect(routeHash({ type: "admin", section: "canned" })).toBe("#/admin/canned");
  });
  it("keeps counselors out of supervision and administration", () => {
    expect(allowedRoute({ type: "stats" }, "counselor")).toEqual({ type: "chats" });
    expect(allowedRoute({ type: "supervise" }, "supervisor")).toEqual({ type: "supervise" });
    expect(allowedRoute({ type: "admin", section: "staff" }, "supervisor")).toEqual({ type: "chats" });
  });
});

describe("auth state", () => {
  it("goes from checking to setup or login, and back to login on lock", () => {
    const setup = authReducer(initialAuth, { type: "setup-status", needed: true });
    expect(setup.type).toBe("setup");
    const busy = authReducer(setup, { type: "submitted" });
    expect(busy).toEqual({ type: "setup", busy: true, error: null });
    expect(authReducer(busy, { type: "failed", error: "network" })).toEqual({
      type: "setup",
      busy: false,
      error: "network",
    });
    const login = authReducer(busy, { type: "setup-done" });
    expect(login).toEqual({ type: "login", busy: false, error: null, reason: "start" });
    expect(authReducer(login, { type: "locked", reason: "idle" })).toEqual({
      type: "login",
      busy: false,
      error: null,
      reason: "idle",
    });
  });
  it("checks new passwords and normalizes usernames", () => {
    expect(checkNewPassword("short", "short")).toBe("password-too-short");
    expect(checkNewPassword("a long enough passphrase", "a long enough passphrase!")).toBe(
      "password-mismatch",
    );
    expect(checkNewPassword("a long enough passphrase", "a long enough passphrase")).toBe("ok");
    expect(normalizeUsername("  Amina.K ")).toBe("amina.k");
  });
});

describe("notifications", () => {
  it("never notifies for what the counselor is looking at, and beeps for new chats", () => {
    expect(notifyDecision({ type: "message", onScreen: true }, true)).toEqual({ beep: false, desktop: null });
    expect(notifyDecision({ type: "message", onScreen: false }, false)).toEqual({
      beep: true,
      desktop: "notify.newMessage",
    });
    expect(notifyDecision({ type: "assigned", transfer: true }, false)).toEqual({
      beep: true,
      desktop: "notify.transferredChat",
    });
    expect(notifyDecision({ type: "assigned", transfer: false }, true)).toEqual({
      beep: true,
      desktop: null,
    });
  });
  it("puts a count in the title", () => {
    expect(titleWithBadge("Sahara", 2)).toBe("(2) Sahara");
    expect(titleWithBadge("Sahara", 0)).toBe("Sahara");
    expect(titleWithBadge("Sahara", 120)).toBe("(99+) Sahara");
  });
});

describe("store", () => {
  it("notifies subscribers only on change", () => {
    const store = createStore((s: number, a: number) => s + a, 0);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.dispatch(0);
    store.dispatch(2);
    off();
    store.dispatch(1);
    expect(store.getState()).toBe(3);
    expect(calls).toBe(1);
  });
});

describe("tab keys", () => {
  it("moves with the arrows (mirrored right to left), wraps, and jumps with Home and End", () => {
    expect(tabKeyTarget("ArrowRight", false, 0, 3)).toBe(1);
    expect(tabKeyTarget("ArrowRight", false, 2, 3)).toBe(0);
    expect(tabKeyTarget("ArrowLeft", false, 0, 3)).toBe(2);
    expect(tabKeyTarget("ArrowLeft", true, 0, 3)).toBe(1);
    expect(tabKeyTarget("Home", false, 2, 3)).toBe(0);
    expect(tabKeyTarget("End", true, 0, 3)).toBe(2);
    expect(tabKeyTarget("Enter", false, 0, 3)).toBe(null);
    expect(tabKeyTarget("ArrowRight", false, 0, 0)).toBe(null);
  });
});
