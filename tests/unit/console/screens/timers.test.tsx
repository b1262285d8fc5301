import { act, cleanup, fireEvent, screen } from "@testing-library/preact";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ready as readyCore } from "../../../../shared/crypto/index.ts";
import { ready } from "../../../../shared/crypto/staff/index.ts";
import { IDLE_LOCK_MS, IDLE_WARNING_MS } from "../../../../console/src/state/idle.ts";
import { type Account, loginRoutes, makeAccount, mountApp, NOW } from "../support/app-harness.tsx";
import { eventually } from "../support/fakes.ts";

/**
 * The console's clocks, with the page's interval timers faked and its clock moved by hand: the
 * idle warning and lock, and the break countdown. (Timeouts stay real: the unlock and the
 * testing library use them.)
 */
describe("console timers", () => {
  let sana: Account;
  let clock = NOW;
  beforeAll(async () => {
    await Promise.all([ready(), readyCore()]);
    sana = await makeAccount("sana", "a counselor's long passphrase", "counselor", false);
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    clock = NOW;
  });

  async function unlocked() {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const app = mountApp(loginRoutes(sana), () => clock);
    await screen.findByRole("heading", { name: "Unlock the console" });
    fireEvent.input(screen.getByLabelText("Username"), { target: { value: sana.username } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: sana.password } });
    fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    await screen.findByRole("heading", { name: /Waiting/ }, { timeout: 3000 });
    // Preact runs effects (which start the intervals) after the frame is painted.
    await eventually(() => expect(vi.getTimerCount()).toBeGreaterThan(0));
    return app;
  }
  const pass = (ms: number) =>
    act(() => {
      clock += ms;
      vi.advanceTimersByTime(5000);
    });

  it("warns a minute before the idle lock, stays unlocked on activity, then locks and wipes", async () => {
    const { transport } = await unlocked();
    // Almost at the warning: nothing yet.
    pass(IDLE_LOCK_MS - IDLE_WARNING_MS - 10_000);
    expect(screen.queryByRole("alert")).toBeNull();
    // Inside the last minute: the warning, with the seconds left.
    pass(20_000);
    expect(screen.getByRole("alert").textContent).toContain("locks in about 50 seconds");
    // A key press counts as activity: the warning goes and the full time starts again.
    fireEvent.keyDown(document, { key: "Shift" });
    pass(5000);
    expect(screen.queryByText(/locks in about/)).toBeNull();
    pass(IDLE_LOCK_MS - IDLE_WARNING_MS - 10_000);
    expect(screen.queryByText(/locks in about/)).toBeNull();
    // Then no activity at all: it locks, closes the relay socket and says why.
    pass(IDLE_LOCK_MS);
    await screen.findByRole("heading", { name: "Unlock the console" });
    expect(screen.getByText(/locked itself after a period without activity/)).toBeTruthy();
    expect(transport.closed).toBe(true);
  });

  it("counts a break down and says when it is over", async () => {
    const { transport } = await unlocked();
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "break" } });
    // (Not `waitFor`: its polling interval is one of the faked timers.)
    await eventually(() => expect(screen.getByRole("timer").textContent).toBe("Break: 15:00 left"));
    expect(transport.requests.filter((r) => r.event === "status").at(-1)?.payload).toEqual({
      status: "break",
    });
    pass(5 * 60_000);
    expect(screen.getByRole("timer").textContent).toBe("Break: 10:00 left");
    // (Someone at the desk: without input the idle lock would come first, at 15 minutes.)
    fireEvent.pointerDown(document);
    pass(10 * 60_000);
    expect(screen.getByRole("timer").textContent).toBe("Break over — set yourself available when ready");
    // Still on break until the counselor chooses: nothing is assigned behind their back.
    expect((screen.getByLabelText("Status") as HTMLSelectElement).value).toBe("break");
  });
});
