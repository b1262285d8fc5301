import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { PartnerId, SessionId, StaffId } from "../../../../shared/protocol/index.ts";
import {
  ServicesContext,
  type Workspace,
  WorkspaceContext,
} from "../../../../console/src/components/services.tsx";
import { SuperviseScreen } from "../../../../console/src/screens/supervise-screen.tsx";
import { chatsReducer, initialChats } from "../../../../console/src/state/chats.ts";
import { deskReducer, initialDesk } from "../../../../console/src/state/desk.ts";
import { createStore } from "../../../../console/src/state/store.ts";
import { initialWellbeing, wellbeingReducer } from "../../../../console/src/state/wellbeing.ts";

describe("supervision screen", () => {
  afterEach(() => cleanup());

  it("shows the queue and each counselor's status and load, and nothing of any conversation", () => {
    const now = () => 10_000;
    const desk = createStore(deskReducer, initialDesk);
    desk.dispatch({
      type: "queue",
      at: 10_000,
      entries: [
        {
          sessionId: "QQQQQQQQQQQQQQQQQQQQQQ" as SessionId,
          language: "ur",
          partner: "drf" as PartnerId,
          waitingSeconds: 125,
        },
      ],
    });
    desk.dispatch({
      type: "load",
      at: 10_000,
      load: {
        waiting: 1,
        longestWaitSeconds: 125,
        counselors: [
          {
            id: "a" as StaffId,
            displayName: "Amina",
            status: "available",
            chats: 1,
            limit: 2,
            languages: ["en", "ur"],
          },
          {
            id: "b" as StaffId,
            displayName: "Bilal",
            status: "break",
            chats: 0,
            limit: 2,
            languages: ["ur"],
          },
        ],
      },
    });
    const workspace = {
      desk,
      chats: createStore(chatsReducer, initialChats),
      wellbeing: createStore(wellbeingReducer, initialWellbeing),
    } as unknown as Workspace;
    render(
      <ServicesContext.Provider value={{ now } as never}>
        <WorkspaceContext.Provider value={workspace}>
          <SuperviseScreen />
        </WorkspaceContext.Provider>
      </ServicesContext.Provider>,
    );
    const counselors = screen.getByRole("table", { name: "Counselors" });
    expect(within(counselors).getByRole("row", { name: /Amina/ }).textContent).toContain("1 of 2 chats");
    expect(within(counselors).getByRole("row", { name: /Bilal/ }).textContent).toContain("On a break");
    // Amina speaks both; a chat in Urdu is waiting and one counselor who speaks it is available.
    const byLanguage = screen.getByRole("table", { name: "Waiting by language" });
    const cells = (name: RegExp) =>
      within(within(byLanguage).getByRole("row", { name }))
        .getAllByRole("cell")
        .map((c) => c.textContent);
    expect(cells(/^Urdu/)).toEqual(["1", "2:05", "1"]);
    expect(cells(/^English/)).toEqual(["0", "–", "1"]);
    expect(within(counselors).getByRole("row", { name: /Amina/ }).textContent).toContain("English, Urdu");
    const queue = screen.getByRole("table", { name: "Visitors waiting" });
    expect(within(queue).getByText("2:05")).toBeTruthy();
    expect(screen.getByText("Longest wait", { selector: "dt" }).nextElementSibling?.textContent).toBe("2:05");
  });

  it("removes waiting chats that never spoke when the supervisor asks, and says how many or why not", async () => {
    const replies = [
      { ok: true as const, cleared: 3 },
      { ok: false as const, error: "forbidden" as const },
    ];
    let calls = 0;
    const workspace = {
      desk: createStore(deskReducer, initialDesk),
      chats: createStore(chatsReducer, initialChats),
      wellbeing: createStore(wellbeingReducer, initialWellbeing),
      controller: {
        clearSilent: async () => replies[calls++],
      },
    } as unknown as Workspace;
    render(
      <ServicesContext.Provider value={{ now: () => 0 } as never}>
        <WorkspaceContext.Provider value={workspace}>
          <SuperviseScreen />
        </WorkspaceContext.Provider>
      </ServicesContext.Provider>,
    );
    const button = screen.getByRole("button", { name: "Remove chats that never spoke" });
    expect(button.getAttribute("aria-describedby")).toBe("clear-silent-help");
    fireEvent.click(button);
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toBe("Removed 3 waiting chats that never spoke."),
    );
    expect(calls).toBe(1);
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByRole("status").textContent).not.toContain("Removed"));
    expect(calls).toBe(2);
    expect(screen.getByRole("status").textContent?.length).toBeGreaterThan(0);
  });
});
