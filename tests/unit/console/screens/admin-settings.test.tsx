import { fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import type { Hours } from "../../../../shared/protocol/http/index.ts";
import {
  loggedInAt,
  fieldDescription as description,
  sentTo as sent,
  typeIn as type,
  adminScreenTests,
} from "../support/app-harness.tsx";
import type { Route } from "../support/fakes.ts";

type Routes = Record<string, Route | ((body: unknown) => Route)>;

describe("administration settings", () => {
  const amina = adminScreenTests();

  describe("opening hours", () => {
    const nineToFive = { open: "09:00", close: "17:00" };
    const start = (): Hours => ({
      timeZone: "Asia/Karachi",
      schedule: [[], [nineToFive], [nineToFive], [nineToFive], [nineToFive], [nineToFive], []],
      holidays: [{ date: "2026-12-25", label: "Quaid-e-Azam Day" }],
    });

    async function open(extra: Routes = {}) {
      const app = await loggedInAt(amina(), "#/admin/hours", {
        "GET /api/admin/hours": { status: 200, body: start() },
        "PUT /api/admin/hours": (body) => ({ status: 200, body }),
        ...extra,
      });
      const form = await screen.findByRole("form", { name: "Opening hours" });
      const table = within(form).getByRole("table", { name: "Weekly hours" });
      const day = (name: string) => within(table).getByRole("row", { name: new RegExp(`^${name}`) });
      return { app, form, table, day };
    }

    it("shows the week in a captioned table with labelled times, holidays and the time zone", async () => {
      const { form, table, day } = await open();
      expect(
        within(table)
          .getAllByRole("columnheader")
          .map((h) => h.textContent),
      ).toEqual(["Day", "Open", "Actions"]);
      expect(
        within(table)
          .getAllByRole("rowheader")
          .map((h) => h.textContent),
      ).toEqual(["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]);
      expect(day("Sunday").textContent).toContain("Closed");
      expect(within(day("Sunday")).queryByLabelText("Opens")).toBeNull();
      expect((within(day("Monday")).getByLabelText("Opens") as HTMLInputElement).value).toBe("09:00");
      expect((within(day("Monday")).getByLabelText("Closes") as HTMLInputElement).value).toBe("17:00");
      const zone = within(form).getByLabelText("Time zone") as HTMLInputElement;
      expect(zone.value).toBe("Asia/Karachi");
      expect(description(zone)).toBe("An IANA name, e.g. Asia/Karachi.");
      const holidays = within(form).getByRole("group", { name: "Holidays (closed)" });
      // A readable date, with the day itself kept machine-readable on <time>.
      const item = within(holidays).getByRole("listitem");
      expect(item.textContent).toContain("25 December 2026 Quaid-e-Azam Day");
      expect(item.querySelector("time")?.getAttribute("datetime")).toBe("2026-12-25");
    });

    it("refuses a range that closes before it opens, next to it, and saves once fixed", async () => {
      const { app, form, day } = await open();
      const save = within(form).getByRole("button", { name: "Save" }) as HTMLButtonElement;
      expect(save.disabled).toBe(false);
      const closes = within(day("Monday")).getByLabelText("Closes");
      type(closes, "08:00");
      await waitFor(() => expect(closes.getAttribute("aria-invalid")).toBe("true"));
      expect(description(closes)).toBe("Closes before it opens.");
      expect(description(within(day("Monday")).getByLabelText("Opens"))).toBe("Closes before it opens.");
      expect(within(day("Tuesday")).getByLabelText("Closes").getAttribute("aria-invalid")).toBe("false");
      expect(save.disabled).toBe(true);
      fireEvent.submit(form);
      await new Promise((r) => setTimeout(r, 20));
      expect(sent(app, "PUT", "/api/admin/hours")).toHaveLength(0);

      type(closes, "18:30");
      await waitFor(() => expect(save.disabled).toBe(false));
      expect(closes.getAttribute("aria-invalid")).toBe("false");
      fireEvent.click(save);
      await waitFor(() => expect(sent(app, "PUT", "/api/admin/hours")).toHaveLength(1));
      const body = sent(app, "PUT", "/api/admin/hours")[0]?.body as Hours;
      expect(body.schedule[1]).toEqual([{ open: "09:00", close: "18:30" }]);
      expect(body.schedule[2]).toEqual([nineToFive]);
      expect((await within(form).findByRole("status")).textContent).toBe("Saved.");
    });

    it("flags overlapping hours on the same day", async () => {
      const { form, day } = await open();
      fireEvent.click(within(day("Monday")).getByRole("button", { name: "Add hours" }));
      const opens = within(day("Monday")).getAllByLabelText("Opens");
      expect(opens).toHaveLength(2);
      type(opens[1] as HTMLElement, "16:00");
      await waitFor(() => expect(description(opens[1] as HTMLElement)).toBe("Overlaps other hours."));
      expect((within(form).getByRole("button", { name: "Save" }) as HTMLButtonElement).disabled).toBe(true);
    });

    it("edits days, holidays and the time zone, and sends the whole schedule", async () => {
      const { app, form, day } = await open();
      fireEvent.click(within(day("Monday")).getByRole("button", { name: "Add hours" }));
      const second = within(day("Monday")).getAllByLabelText("Closes")[1] as HTMLInputElement;
      expect(second.value).toBe("23:59");
      fireEvent.click(within(day("Monday")).getByRole("button", { name: "Same every day" }));
      fireEvent.click(within(day("Saturday")).getAllByRole("button", { name: "Remove" })[1] as HTMLElement);
      fireEvent.click(within(day("Sunday")).getAllByRole("button", { name: "Remove" })[0] as HTMLElement);
      fireEvent.click(within(day("Sunday")).getByRole("button", { name: "Remove" }));
      expect(day("Sunday").textContent).toContain("Closed");

      const holidays = within(form).getByRole("group", { name: "Holidays (closed)" });
      const add = within(holidays).getByRole("button", { name: "Add holiday" }) as HTMLButtonElement;
      expect(add.disabled).toBe(true);
      type(within(holidays).getByLabelText("Date"), "2027-03-23");
      type(within(holidays).getByLabelText("Name"), "  Pakistan Day ");
      await waitFor(() => expect(add.disabled).toBe(false));
      fireEvent.click(add);
      fireEvent.click(
        within(within(holidays).getByText(/Quaid-e-Azam Day/)).getByRole("button", { name: "Remove" }),
      );
      expect((within(holidays).getByLabelText("Date") as HTMLInputElement).value).toBe("");

      type(within(form).getByLabelText("Time zone"), " Europe/London ");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(sent(app, "PUT", "/api/admin/hours")).toHaveLength(1));
      const evening = { open: "17:00", close: "24:00" };
      expect(sent(app, "PUT", "/api/admin/hours")[0]?.body).toEqual({
        timeZone: "Europe/London",
        schedule: [
          [],
          [nineToFive, evening],
          [nineToFive, evening],
          [nineToFive, evening],
          [nineToFive, evening],
          [nineToFive, evening],
          [nineToFive],
        ],
        holidays: [{ date: "2027-03-23", label: "Pakistan Day" }],
      });
      expect((await within(form).findByRole("status")).textContent).toBe("Saved.");
    });

    it("refuses a time zone that is not an IANA name, at the field, without sending it", async () => {
      const { app, form } = await open();
      const zone = within(form).getByLabelText("Time zone");
      type(zone, "Mars/Olympus_Mons");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(zone.getAttribute("aria-invalid")).toBe("true"));
      expect(description(zone)).toBe("An IANA name, e.g. Asia/Karachi. | Not valid.");
      expect(sent(app, "PUT", "/api/admin/hours")).toHaveLength(0);

      type(zone, "Asia/Karachi");
      expect(zone.getAttribute("aria-invalid")).toBe("false");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(sent(app, "PUT", "/api/admin/hours")).toHaveLength(1));
    });

    it("shows the server's refusal", async () => {
      const { form } = await open({
        "PUT /api/admin/hours": { status: 400, body: { error: "bad-request" } },
      });
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      expect((await within(form).findByRole("status")).textContent).toBe(
        "The request was refused as malformed.",
      );
    });
  });

  describe("settings", () => {
    async function open(extra: Routes = {}) {
      const app = await loggedInAt(amina(), "#/admin/settings", {
        "GET /api/admin/settings": { status: 200, body: { chatLimit: 2 } },
        "PUT /api/admin/settings": (body) => ({ status: 200, body }),
        ...extra,
      });
      const form = await screen.findByRole("form", { name: "Settings" });
      const limit = within(form).getByLabelText("Chats per counselor") as HTMLInputElement;
      return { app, form, limit };
    }

    it("shows the default chat limit in a labelled number field with its hint", async () => {
      const { limit } = await open();
      expect(limit.value).toBe("2");
      expect(limit.getAttribute("type")).toBe("number");
      expect(description(limit)).toBe(
        "How many chats a counselor may have at once, unless set for them (1–10).",
      );
    });

    it("refuses limits outside 1–10 or not whole, at the field, and saves a good one", async () => {
      const { app, form, limit } = await open();
      for (const bad of ["11", "0", "2.5", ""]) {
        type(limit, bad);
        fireEvent.click(within(form).getByRole("button", { name: "Save" }));
        await waitFor(() => expect(limit.getAttribute("aria-invalid")).toBe("true"));
        expect(description(limit)).toContain("Not valid.");
      }
      expect(sent(app, "PUT", "/api/admin/settings")).toHaveLength(0);

      type(limit, "3");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(sent(app, "PUT", "/api/admin/settings")).toHaveLength(1));
      expect(sent(app, "PUT", "/api/admin/settings")[0]?.body).toEqual({ chatLimit: 3 });
      expect((await within(form).findByRole("status")).textContent).toBe("Saved.");
      expect(limit.getAttribute("aria-invalid")).toBe("false");
      // Typing again: "Saved." no longer describes what is in the field.
      type(limit, "4");
      await waitFor(() => expect(within(form).queryByRole("status")).toBeNull());
    });

    it("shows the server's refusal", async () => {
      const { form } = await open({
        "PUT /api/admin/settings": { status: 403, body: { error: "forbidden" } },
      });
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      expect((await within(form).findByRole("status")).textContent).toBe("Your role does not allow this.");
    });
  });
});
