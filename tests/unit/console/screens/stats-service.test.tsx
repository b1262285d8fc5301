import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../../../shared/crypto/staff/index.ts";
import type { ServiceResponse, StatsResponse } from "../../../../shared/protocol/http/index.ts";
import { WAIT_BUCKETS, type WaitBucket } from "../../../../shared/stats/service-level.ts";
import { I18nProvider } from "../../../../console/src/i18n/i18n-context.tsx";
import { MonthChart, ServiceSection } from "../../../../console/src/screens/service-section.tsx";
import { statsView } from "../../../../console/src/state/stats-view.ts";
import { type Account, loggedInAt, makeAccount } from "../support/app-harness.tsx";

const hist = (counts: Partial<Record<WaitBucket, number>>) => WAIT_BUCKETS.map((b) => counts[b] ?? 0);

function service(): ServiceResponse {
  const closedByHour = new Array<number>(7 * 24).fill(0);
  closedByHour[1 * 24 + 23] = 9; // Monday 23:00
  closedByHour[0 * 24 + 22] = 3; // Sunday 22:00
  return {
    counters: {
      offered: 40,
      answered: 30,
      abandoned: 10,
      quick_exit: 6,
      refused_closed: 12,
      refused_full: 2,
    },
    answeredWaits: hist({ "<30s": 20, "5-10m": 10 }),
    abandonedWaits: hist({ "30s-1m": 5, "2-3m": 5 }),
    closedByHour,
    perDay: [
      {
        day: "2026-11-26",
        counters: {
          offered: 3,
          answered: 3,
          abandoned: 0,
          quick_exit: 0,
          refused_closed: 0,
          refused_full: 0,
        },
        answeredWaits: hist({ "<30s": 3 }),
        abandonedWaits: hist({}),
      },
      {
        day: "2026-11-27",
        counters: {
          offered: 8,
          answered: 8,
          abandoned: 0,
          quick_exit: 0,
          refused_closed: 0,
          refused_full: 0,
        },
        answeredWaits: hist({ "1-2m": 6, "10-15m": 2 }),
        abandonedWaits: hist({}),
      },
    ],
  };
}

function body(): StatsResponse {
  const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  heatmap[2]![11] = 25;
  return {
    from: "2026-10-30",
    to: "2026-11-28",
    total: 25,
    difficult: 0,
    perDay: [
      { day: "2026-10-31", count: 10 },
      { day: "2026-11-05", count: 15 },
    ],
    perWeek: [
      { week: "2026-W44", count: 10 },
      { week: "2026-W45", count: 15 },
    ],
    byPlatform: [{ key: "whatsapp", count: 25 }],
    byHarassmentType: [],
    byOutcome: [],
    followUp: 0,
    byCallerType: [{ key: "self", count: 25 }],
    byRegion: [{ key: "unknown", count: 25 }],
    byGender: [{ key: "unknown", count: 25 }],
    byReferral: [],
    byPartner: [{ key: "drf", count: 25 }],
    byLanguage: [{ key: "ur", count: 25 }],
    byDuration: [{ key: "10-30m", count: 25 }],
    heatmap,
    timeZone: "UTC",
    service: service(),
  };
}

const value = (term: string) => screen.getByText(term, { selector: "dt" }).nextElementSibling?.textContent;

describe("statistics: service level and growth", () => {
  let amina: Account;
  beforeAll(async () => {
    await ready();
    amina = await makeAccount("amina", "correct horse battery staple", "admin", true);
  });
  afterEach(() => {
    cleanup();
    location.hash = "";
  });

  it("shows service level beside the contacts, small counts hidden as in the CSV until revealed", async () => {
    await loggedInAt(amina, "#/stats", { "GET /api/admin/stats": { status: 200, body: body() } });
    await screen.findByRole("heading", { name: "Service level" });
    expect(value("Chats offered")).toBe("40");
    expect(value("Answered by a counselor")).toBe("30 (75%)");
    expect(value("Half of answered chats waited")).toBe("under 30 seconds");
    expect(value("Nine in ten answered chats waited")).toBe("5 to 10 minutes");
    expect(value("Left before a counselor joined")).toBe("10");
    expect(value("Quick exits")).toBe("6");
    expect(value("Tried while closed")).toBe("12");
    expect(value("Turned away: queue full")).toBe("<5");
    const abandoned = screen.getByRole("table", {
      name: "Left before a counselor joined, by how long they waited",
    });
    const cell = (name: RegExp) =>
      within(within(abandoned).getByRole("row", { name })).getByRole("cell").textContent;
    expect(cell(/under 1 minute/)).toBe("5");
    expect(cell(/1 to 5 minutes/)).toBe("5");
    expect(cell(/5 to 15 minutes/)).toBe("<5");
    // The heatmap is a picture with a name and, for screen readers, a table of the same counts.
    expect(screen.getByRole("img", { name: "Attempts while closed, by weekday and hour" })).toBeTruthy();
    const closed = screen.getByRole("table", { name: "Attempts while closed, by weekday and hour" });
    expect(within(closed).getByRole("row", { name: /Monday/ }).textContent).toContain("9");
    expect(within(closed).getByRole("row", { name: /Sunday/ }).textContent).not.toContain("3");
    // Month over month: 10 in October, 15 in November.
    const months = screen.getByRole("table", {
      name: "Contacts per month, with growth over the month before",
    });
    expect(within(months).getByRole("row", { name: /^October 2026/ }).textContent).toContain("10");
    expect(
      within(months).getByRole("row", { name: /November 2026 \(\+50% on the month before\)/ }).textContent,
    ).toContain("15");

    // Waits per day, each day as the CSV's daily export publishes it; every day of the range listed.
    const daily = screen.getByRole("table", { name: "Waits per day" });
    const dayRow = (name: string) =>
      within(within(daily).getByRole("row", { name: new RegExp(name) }))
        .getAllByRole("cell")
        .map((c) => c.textContent);
    expect(within(daily).getAllByRole("row")).toHaveLength(1 + 30);
    expect(dayRow("27 November 2026")).toEqual(["8", "1 to 2 minutes", "10 to 15 minutes"]);
    expect(dayRow("26 November 2026")).toEqual(["<5", "suppressed", "suppressed"]);
    expect(dayRow("25 November 2026")).toEqual(["<5", "suppressed", "suppressed"]);

    fireEvent.click(screen.getByLabelText("Hide small counts"));
    await waitFor(() => expect(value("Turned away: queue full")).toBe("2"));
    expect(dayRow("26 November 2026")).toEqual(["3", "under 30 seconds", "under 30 seconds"]);
    expect(dayRow("25 November 2026")).toEqual(["0", "no waits yet", "no waits yet"]);
    const closedExact = screen.getByRole("table", { name: "Attempts while closed, by weekday and hour" });
    expect(within(closedExact).getByRole("row", { name: /Sunday/ }).textContent).toContain("3");
    // Logging in derives keys with Argon2id: a ceiling for a loaded machine, not a timing target.
  }, 30_000);

  it("never shows a share or a wait beside a hidden answered count", () => {
    const few: ServiceResponse = {
      ...service(),
      counters: {
        offered: 20,
        answered: 17,
        abandoned: 3,
        quick_exit: 0,
        refused_closed: 0,
        refused_full: 0,
      },
    };
    render(
      <ServiceSection service={few} range={{ from: "2026-11-26", to: "2026-11-27" }} hideSmall={true} />,
    );
    expect(value("Answered by a counselor")).toBe("suppressed");
    expect(value("Half of answered chats waited")).toBe("suppressed");
    expect(value("Left before a counselor joined")).toBe("<5");
  });

  it("speaks Urdu", () => {
    render(
      <I18nProvider language="ur" setLanguage={() => {}}>
        <ServiceSection
          service={service()}
          range={{ from: "2026-11-26", to: "2026-11-27" }}
          hideSmall={true}
        />
        <MonthChart months={statsView(body(), true).perMonth} />
      </I18nProvider>,
    );
    expect(screen.getByRole("heading", { name: "سروس کی سطح" })).toBeTruthy();
    expect(value("کونسلر نے جواب دیا")).toBe("30 (75%)");
    expect(value("جواب پانے والی آدھی چیٹس کا انتظار")).toBe("30 سیکنڈ سے کم");
    expect(screen.getByRole("img", { name: "بند اوقات میں کوششیں، دن اور گھنٹے کے لحاظ سے" })).toBeTruthy();
    expect(screen.getByText(/پچھلے مہینے کے مقابلے میں \+50%/, { selector: "th, td" })).toBeTruthy();
  });
});
