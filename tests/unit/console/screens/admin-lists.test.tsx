import { fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import type { Canned, Partner, Referral } from "../../../../shared/protocol/http/index.ts";
import {
  loggedInAt,
  fieldDescription as description,
  sentTo as sent,
  typeIn as type,
  adminScreenTests,
} from "../support/app-harness.tsx";
import type { Route } from "../support/fakes.ts";

/** Answers the delete confirmation for the named item. */
async function confirmDelete(name: string): Promise<void> {
  const dialog = await screen.findByRole("dialog", { name: `Delete “${name}”?` });
  fireEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
}

describe("administration lists", () => {
  const amina = adminScreenTests();

  describe("canned responses", () => {
    const start = (): Canned[] => [
      { id: "c1", language: "en", title: "Greeting", body: "You are safe to talk here.", tags: ["start"] },
      { id: "c2", language: "ur", title: "سلام", body: "آپ یہاں محفوظ ہیں۔", tags: [] },
    ];

    async function open(extra: Record<string, Route | ((body: unknown) => Route)> = {}) {
      let list = start();
      const app = await loggedInAt(amina(), "#/admin/canned", {
        "GET /api/canned": () => ({ status: 200, body: { responses: list } }),
        "POST /api/admin/canned": (body) => {
          const made = { id: "c3", ...(body as Omit<Canned, "id">) };
          list = [...list, made];
          return { status: 201, body: made };
        },
        "PUT /api/admin/canned/c1": (body) => {
          list = list.map((c) => (c.id === "c1" ? { id: "c1", ...(body as Omit<Canned, "id">) } : c));
          return { status: 200, body: { id: "c1", ...(body as object) } };
        },
        "DELETE /api/admin/canned/c2": () => {
          list = list.filter((c) => c.id !== "c2");
          return { status: 204 };
        },
        ...extra,
      });
      await screen.findByRole("heading", { name: "Canned responses", level: 2 });
      const table = await screen.findByRole("table", { name: "Canned responses" });
      await within(table).findByRole("row", { name: /Greeting/ });
      return { app, table };
    }

    it("lists responses in a captioned table with their language and tags", async () => {
      const { table } = await open();
      const headers = within(table)
        .getAllByRole("columnheader")
        .map((h) => h.textContent);
      expect(headers).toEqual(["Title", "Language", "Tags", "Actions"]);
      const greeting = within(table).getByRole("row", { name: /Greeting/ });
      expect(within(greeting).getByRole("rowheader").getAttribute("lang")).toBe("en");
      expect(greeting.textContent).toContain("English");
      expect(greeting.textContent).toContain("start");
      const salaam = within(table).getByRole("row", { name: /سلام/ });
      expect(within(salaam).getByRole("rowheader").getAttribute("lang")).toBe("ur");
      expect(salaam.textContent).toContain("Urdu");
      expect(within(salaam).getByRole("button", { name: "Edit" })).toBeTruthy();
      expect(within(salaam).getByRole("button", { name: "Delete" })).toBeTruthy();
    });

    it("adds a response: refuses empty fields next to them, then posts the trimmed input", async () => {
      const { app, table } = await open();
      expect(screen.queryByRole("form", { name: "Edit response" })).toBeNull();
      fireEvent.click(screen.getByRole("button", { name: "Add a response" }));
      const form = screen.getByRole("form", { name: "Edit response" });
      expect(screen.queryByRole("button", { name: "Add a response" })).toBeNull();

      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      const title = within(form).getByLabelText("Title");
      const text = within(form).getByLabelText("Text");
      await waitFor(() => expect(title.getAttribute("aria-invalid")).toBe("true"));
      expect(description(title)).toBe("Required.");
      expect(description(text)).toBe("Required.");
      expect(within(form).getByLabelText("Tags").getAttribute("aria-invalid")).toBe("false");
      expect(description(within(form).getByLabelText("Tags"))).toBe("Comma-separated, for searching.");
      expect(sent(app, "POST", "/api/admin/canned")).toHaveLength(0);

      fireEvent.change(within(form).getByLabelText("Language"), { target: { value: "ur" } });
      type(title, "  Safety plan ");
      type(text, " Let us make a plan together. ");
      type(within(form).getByLabelText("Tags"), "plan, , safety ");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(sent(app, "POST", "/api/admin/canned")).toHaveLength(1));
      expect(sent(app, "POST", "/api/admin/canned")[0]?.body).toEqual({
        language: "ur",
        title: "Safety plan",
        body: "Let us make a plan together.",
        tags: ["plan", "safety"],
      });
      await within(table).findByRole("row", { name: /Safety plan/ });
      expect(screen.queryByRole("form", { name: "Edit response" })).toBeNull();
      expect(screen.getByRole("button", { name: "Add a response" })).toBeTruthy();
    });

    it("edits a response with its fields filled in, and cancel sends nothing", async () => {
      const { app, table } = await open();
      fireEvent.click(
        within(within(table).getByRole("row", { name: /Greeting/ })).getByRole("button", { name: "Edit" }),
      );
      let form = screen.getByRole("form", { name: "Edit response" });
      expect((within(form).getByLabelText("Title") as HTMLInputElement).value).toBe("Greeting");
      expect((within(form).getByLabelText("Text") as HTMLTextAreaElement).value).toBe(
        "You are safe to talk here.",
      );
      expect((within(form).getByLabelText("Tags") as HTMLInputElement).value).toBe("start");
      expect((within(form).getByLabelText("Language") as HTMLSelectElement).value).toBe("en");
      fireEvent.click(within(form).getByRole("button", { name: "Cancel" }));
      expect(screen.queryByRole("form", { name: "Edit response" })).toBeNull();

      fireEvent.click(
        within(within(table).getByRole("row", { name: /Greeting/ })).getByRole("button", { name: "Edit" }),
      );
      form = screen.getByRole("form", { name: "Edit response" });
      type(within(form).getByLabelText("Title"), "Welcome");
      type(within(form).getByLabelText("Tags"), "start, hello");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(sent(app, "PUT", "/api/admin/canned/c1")).toHaveLength(1));
      expect(sent(app, "PUT", "/api/admin/canned/c1")[0]?.body).toEqual({
        language: "en",
        title: "Welcome",
        body: "You are safe to talk here.",
        tags: ["start", "hello"],
      });
      expect(sent(app, "POST", "/api/admin/canned")).toHaveLength(0);
      await within(table).findByRole("row", { name: /Welcome/ });
    });

    it("field errors from a refused form do not stay on the next form", async () => {
      const { table } = await open();
      fireEvent.click(screen.getByRole("button", { name: "Add a response" }));
      let form = screen.getByRole("form", { name: "Edit response" });
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(description(within(form).getByLabelText("Title"))).toBe("Required."));
      fireEvent.click(within(form).getByRole("button", { name: "Cancel" }));
      fireEvent.click(
        within(within(table).getByRole("row", { name: /Greeting/ })).getByRole("button", { name: "Edit" }),
      );
      form = screen.getByRole("form", { name: "Edit response" });
      expect(within(form).getByLabelText("Title").getAttribute("aria-invalid")).toBe("false");
      expect(within(form).queryByText("Required.")).toBeNull();
    });

    it("deletes a response, and shows why when the server refuses", async () => {
      const { app, table } = await open({
        "DELETE /api/admin/canned/c1": { status: 403, body: { error: "forbidden" } },
      });
      const deleteSalaam = () =>
        fireEvent.click(
          within(within(table).getByRole("row", { name: /سلام/ })).getByRole("button", { name: "Delete" }),
        );
      // Delete asks first; Cancel sends nothing.
      deleteSalaam();
      const ask = await screen.findByRole("dialog", { name: "Delete “سلام”?" });
      fireEvent.click(within(ask).getByRole("button", { name: "Cancel" }));
      expect(screen.queryByRole("dialog")).toBeNull();
      expect(sent(app, "DELETE", "/api/admin/canned/c2")).toHaveLength(0);
      deleteSalaam();
      await confirmDelete("سلام");
      await waitFor(() => expect(within(table).queryByRole("row", { name: /سلام/ })).toBeNull());
      expect(sent(app, "DELETE", "/api/admin/canned/c2")).toHaveLength(1);
      expect(screen.queryByRole("alert")).toBeNull();

      fireEvent.click(
        within(within(table).getByRole("row", { name: /Greeting/ })).getByRole("button", { name: "Delete" }),
      );
      await confirmDelete("Greeting");
      expect((await screen.findByRole("alert")).textContent).toBe("Your role does not allow this.");
      expect(within(table).getByRole("row", { name: /Greeting/ })).toBeTruthy();
    });
  });

  it.each([
    [
      "#/admin/canned",
      "Canned responses",
      { "GET /api/canned": { status: 403, body: { error: "forbidden" } } },
      "Your role does not allow this.",
    ],
    [
      "#/admin/referrals",
      "Referral directory",
      { "GET /api/referrals": { status: 503, body: { error: "unavailable" } } },
      "The server is unavailable. Try again shortly.",
    ],
    [
      "#/admin/partners",
      "Partner sites",
      {
        "GET /api/admin/partners": { status: 200, body: { partners: [] } },
        "GET /api/admin/embed": { status: 500, body: { error: "internal" } },
      },
      "Something went wrong on the server.",
    ],
  ] as const)(
    "%s says why its list could not be loaded instead of showing it empty",
    async (hash, title, routes, message) => {
      await loggedInAt(amina(), hash, routes);
      await screen.findByRole("heading", { name: title, level: 2 });
      expect((await screen.findByRole("alert")).textContent).toBe(message);
    },
  );

  describe("referral directory", () => {
    const fia: Referral = {
      id: "r1",
      language: "en",
      name: "FIA Cyber Crime Wing",
      category: "law-enforcement",
      description: "Registers complaints.",
      contact: "1991",
      howToPrepare: "Screenshots",
      needsVerification: true,
    };

    async function open(extra: Record<string, Route | ((body: unknown) => Route)> = {}) {
      let list: Referral[] = [fia];
      const app = await loggedInAt(amina(), "#/admin/referrals", {
        "GET /api/referrals": () => ({ status: 200, body: { referrals: list } }),
        "POST /api/admin/referrals": (body) => {
          const made = { id: "r2", ...(body as ReferralBody), needsVerification: false };
          list = [...list, made];
          return { status: 201, body: made };
        },
        "PUT /api/admin/referrals/r1": (body) => {
          const changed = { id: "r1", ...(body as ReferralBody), needsVerification: false };
          list = list.map((r) => (r.id === "r1" ? changed : r));
          return { status: 200, body: changed };
        },
        "DELETE /api/admin/referrals/r1": () => {
          list = list.filter((r) => r.id !== "r1");
          return { status: 204 };
        },
        ...extra,
      });
      await screen.findByRole("heading", { name: "Referral directory", level: 2 });
      const table = await screen.findByRole("table", { name: "Referral directory" });
      await within(table).findByRole("row", { name: /FIA/ });
      return { app, table };
    }
    type ReferralBody = Omit<Referral, "id" | "needsVerification">;

    it("lists referrals in a captioned table, marking unverified entries", async () => {
      const { table } = await open();
      expect(
        within(table)
          .getAllByRole("columnheader")
          .map((h) => h.textContent),
      ).toEqual(["Name", "Kind", "Language", "How to reach them", "Actions"]);
      const row = within(table).getByRole("row", { name: /FIA/ });
      expect(within(row).getByRole("rowheader").textContent).toBe("FIA Cyber Crime Wing to verify");
      expect(row.textContent).toContain("Law enforcement (e.g. FIA cyber crime wing)");
      expect(row.textContent).toContain("English");
      expect(row.textContent).toContain("1991");
    });

    it("adds a referral: required fields refused in place, then the trimmed input posted", async () => {
      const { app, table } = await open();
      fireEvent.click(screen.getByRole("button", { name: "Add a referral" }));
      const form = screen.getByRole("form", { name: "Edit referral" });
      type(within(form).getByLabelText("What they do"), "Free lawyers.");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(description(within(form).getByLabelText("Name"))).toBe("Required."));
      expect(description(within(form).getByLabelText("How to reach them"))).toBe("Required.");
      expect(within(form).getByLabelText("What they do").getAttribute("aria-invalid")).toBe("false");
      expect(within(form).getByLabelText("What to prepare").getAttribute("aria-invalid")).toBe("false");
      expect(sent(app, "POST", "/api/admin/referrals")).toHaveLength(0);

      type(within(form).getByLabelText("Name"), " Legal Aid Society ");
      type(within(form).getByLabelText("How to reach them"), " 0800-70806 ");
      fireEvent.change(within(form).getByLabelText("Kind"), { target: { value: "psychological" } });
      fireEvent.change(within(form).getByLabelText("Language"), { target: { value: "ur" } });
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(sent(app, "POST", "/api/admin/referrals")).toHaveLength(1));
      expect(sent(app, "POST", "/api/admin/referrals")[0]?.body).toEqual({
        language: "ur",
        name: "Legal Aid Society",
        category: "psychological",
        description: "Free lawyers.",
        contact: "0800-70806",
        howToPrepare: "",
      });
      const row = await within(table).findByRole("row", { name: /Legal Aid Society/ });
      expect(row.textContent).toContain("Psychological support");
      expect(screen.queryByRole("form", { name: "Edit referral" })).toBeNull();
    });

    it("edits a referral and sends only the editable fields", async () => {
      const { app, table } = await open();
      fireEvent.click(
        within(within(table).getByRole("row", { name: /FIA/ })).getByRole("button", { name: "Edit" }),
      );
      const form = screen.getByRole("form", { name: "Edit referral" });
      expect((within(form).getByLabelText("Name") as HTMLInputElement).value).toBe("FIA Cyber Crime Wing");
      expect((within(form).getByLabelText("Kind") as HTMLSelectElement).value).toBe("law-enforcement");
      expect((within(form).getByLabelText("What to prepare") as HTMLTextAreaElement).value).toBe(
        "Screenshots",
      );
      type(within(form).getByLabelText("How to reach them"), "1991 or complaint.fia.gov.pk");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(sent(app, "PUT", "/api/admin/referrals/r1")).toHaveLength(1));
      expect(sent(app, "PUT", "/api/admin/referrals/r1")[0]?.body).toEqual({
        language: "en",
        name: "FIA Cyber Crime Wing",
        category: "law-enforcement",
        description: "Registers complaints.",
        contact: "1991 or complaint.fia.gov.pk",
        howToPrepare: "Screenshots",
      });
      const row = await within(table).findByRole("row", { name: /complaint\.fia/ });
      expect(row.textContent).not.toContain("to verify");
    });

    it("deletes a referral", async () => {
      const { app, table } = await open();
      fireEvent.click(
        within(within(table).getByRole("row", { name: /FIA/ })).getByRole("button", { name: "Delete" }),
      );
      await confirmDelete("FIA Cyber Crime Wing");
      await waitFor(() => expect(within(table).queryByRole("row", { name: /FIA/ })).toBeNull());
      expect(sent(app, "DELETE", "/api/admin/referrals/r1")).toHaveLength(1);
      expect(screen.queryByRole("alert")).toBeNull();
    });

    it("shows why the server refused a delete and keeps the row", async () => {
      const { table } = await open({
        "DELETE /api/admin/referrals/r1": { status: 404, body: { error: "not-found" } },
      });
      fireEvent.click(
        within(within(table).getByRole("row", { name: /FIA/ })).getByRole("button", { name: "Delete" }),
      );
      await confirmDelete("FIA Cyber Crime Wing");
      expect((await screen.findByRole("alert")).textContent).toBe("Not found.");
      expect(within(table).getByRole("row", { name: /FIA/ })).toBeTruthy();
    });
  });

  describe("partner sites", () => {
    const drf: Partner = {
      id: "drf" as Partner["id"],
      name: "Digital Rights Foundation",
      allowedOrigins: ["https://digitalrightsfoundation.pk", "https://www.digitalrightsfoundation.pk"],
      exitUrl: "https://weather.example/karachi",
      defaultLanguage: "ur",
      enabled: true,
    };
    const old: Partner = {
      id: "old-site" as Partner["id"],
      name: "Old <Site>",
      allowedOrigins: [],
      exitUrl: "https://news.example/?a=1&b=2",
      defaultLanguage: "en",
      enabled: false,
    };
    const LOADER = "https://help.example/widget/loader.5c1e.js";
    const SRI = "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC";

    async function open(
      integrity: string | null,
      extra: Record<string, Route | ((body: unknown) => Route)> = {},
    ) {
      let list: Partner[] = [drf, old];
      const app = await loggedInAt(amina(), "#/admin/partners", {
        "GET /api/admin/partners": () => ({ status: 200, body: { partners: list } }),
        "GET /api/admin/embed": { status: 200, body: { loaderUrl: LOADER, integrity } },
        "POST /api/admin/partners": (body) => {
          list = [...list, body as Partner];
          return { status: 201, body };
        },
        "PUT /api/admin/partners/drf": (body) => {
          const changed = { id: "drf", ...(body as object) } as Partner;
          list = list.map((p) => (p.id === "drf" ? changed : p));
          return { status: 200, body: changed };
        },
        "DELETE /api/admin/partners/old-site": () => {
          list = list.filter((p) => p.id !== "old-site");
          return { status: 204 };
        },
        ...extra,
      });
      await screen.findByRole("heading", { name: "Partner sites", level: 2 });
      await screen.findByRole("heading", { name: /Digital Rights Foundation/, level: 3 });
      return { app };
    }
    const card = (name: RegExp) => {
      const heading = screen.getByRole("heading", { name, level: 3 });
      const article = heading.closest("article");
      if (!article) throw new Error("no card");
      return article as HTMLElement;
    };

    it("shows each partner with its origins, exit page and an embed snippet pinned by its hash", async () => {
      await open(SRI);
      const site = card(/Digital Rights Foundation/);
      expect(within(site).getByRole("heading", { level: 3 }).textContent).toBe(
        "Digital Rights Foundation drf ",
      );
      expect(site.textContent).toContain(
        "Allowed origins: https://digitalrightsfoundation.pk, https://www.digitalrightsfoundation.pk",
      );
      expect(site.textContent).toContain("Quick-exit page: https://weather.example/karachi · Urdu");
      const snippet = await within(site).findByLabelText("Embed snippet");
      expect(snippet.hasAttribute("readonly")).toBe(true);
      expect((snippet as HTMLTextAreaElement).value).toBe(
        `<script src="${LOADER}" integrity="${SRI}" crossorigin="anonymous" data-partner="drf" ` +
          `data-language="ur" data-exit-url="https://weather.example/karachi" async></script>`,
      );
      expect(description(snippet)).toBe("Pinned with Subresource Integrity: a changed loader will not run.");

      const disabled = card(/Old/);
      expect(within(disabled).getByRole("heading", { level: 3 }).textContent).toBe(
        "Old <Site> old-site disabled",
      );
      expect(disabled.textContent).toContain("Allowed origins: –");
      expect((within(disabled).getByLabelText("Embed snippet") as HTMLTextAreaElement).value).toBe(
        `<script src="${LOADER}" integrity="${SRI}" crossorigin="anonymous" data-partner="old-site" ` +
          `data-language="en" data-exit-url="https://news.example/?a=1&amp;b=2" async></script>`,
      );
    });

    it("says when the loader is not pinned (widget not built), and leaves integrity out", async () => {
      await open(null);
      const snippet = await within(card(/Digital Rights Foundation/)).findByLabelText("Embed snippet");
      expect((snippet as HTMLTextAreaElement).value).not.toContain("integrity=");
      expect((snippet as HTMLTextAreaElement).value).toContain(`src="${LOADER}" crossorigin="anonymous"`);
      expect(description(snippet)).not.toContain("Pinned with Subresource Integrity");
      expect(description(snippet)).not.toBe("");
    });

    it("adds a partner: refuses a bad origin and exit page in place, then posts the normalised site", async () => {
      const { app } = await open(SRI);
      fireEvent.click(screen.getByRole("button", { name: "Add a partner site" }));
      const form = screen.getByRole("form", { name: "Add a partner site" });
      const id = within(form).getByLabelText("Partner id");
      const origins = within(form).getByLabelText("Allowed origins");
      const exit = within(form).getByLabelText("Quick-exit page");
      expect((exit as HTMLInputElement).value).toBe("https://");
      expect(exit.getAttribute("type")).toBe("url");
      expect((within(form).getByLabelText("Enabled") as HTMLInputElement).checked).toBe(true);
      type(id, "Bad Id");
      type(within(form).getByLabelText("Name"), " Helpline Partner ");
      type(origins, "https://partner.example/page");
      type(exit, "ftp://files.example/");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(origins.getAttribute("aria-invalid")).toBe("true"));
      expect(description(origins)).toBe("One per line, e.g. https://www.example.org | Not valid.");
      expect(description(exit)).toContain("Not valid.");
      expect(description(id)).toContain("Not valid.");
      expect(within(form).getByLabelText("Name").getAttribute("aria-invalid")).toBe("false");
      expect(sent(app, "POST", "/api/admin/partners")).toHaveLength(0);

      type(id, "partner-1");
      type(origins, "https://www.Partner.example/\nhttp://localhost:8080");
      type(exit, " https://weather.example/ ");
      fireEvent.change(within(form).getByLabelText("Default language"), { target: { value: "ur" } });
      fireEvent.click(within(form).getByLabelText("Enabled"));
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(sent(app, "POST", "/api/admin/partners")).toHaveLength(1));
      expect(sent(app, "POST", "/api/admin/partners")[0]?.body).toEqual({
        id: "partner-1",
        name: "Helpline Partner",
        allowedOrigins: ["https://www.partner.example", "http://localhost:8080"],
        exitUrl: "https://weather.example/",
        defaultLanguage: "ur",
        enabled: false,
      });
      await screen.findByRole("heading", { name: /Helpline Partner/, level: 3 });
      expect(screen.queryByRole("form", { name: "Add a partner site" })).toBeNull();
    });

    it("keeps the form open and says so when the id is taken", async () => {
      const { app } = await open(SRI, {
        "POST /api/admin/partners": { status: 409, body: { error: "partner-exists" } },
      });
      fireEvent.click(screen.getByRole("button", { name: "Add a partner site" }));
      const form = screen.getByRole("form", { name: "Add a partner site" });
      type(within(form).getByLabelText("Partner id"), "drf");
      type(within(form).getByLabelText("Name"), "Again");
      type(within(form).getByLabelText("Quick-exit page"), "https://weather.example/");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      expect((await screen.findByRole("alert")).textContent).toBe("A partner with that id exists.");
      expect(sent(app, "POST", "/api/admin/partners")[0]?.body).toMatchObject({
        id: "drf",
        allowedOrigins: [],
      });
      expect(screen.getByRole("form", { name: "Add a partner site" })).toBeTruthy();
    });

    it("edits a partner without its id, and deletes another", async () => {
      const { app } = await open(SRI);
      fireEvent.click(within(card(/Digital Rights Foundation/)).getByRole("button", { name: "Edit" }));
      const form = screen.getByRole("form", { name: "Edit partner site" });
      // Each partner card is an article named by its heading.
      expect(screen.getByRole("article", { name: /Digital Rights Foundation/ })).toBeTruthy();
      expect(within(form).queryByLabelText("Partner id")).toBeNull();
      expect((within(form).getByLabelText("Allowed origins") as HTMLTextAreaElement).value).toBe(
        "https://digitalrightsfoundation.pk\nhttps://www.digitalrightsfoundation.pk",
      );
      expect((within(form).getByLabelText("Default language") as HTMLSelectElement).value).toBe("ur");
      type(within(form).getByLabelText("Allowed origins"), "https://drf.example");
      type(within(form).getByLabelText("Quick-exit page"), "ftp://weather.example/");
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() =>
        expect(description(within(form).getByLabelText("Quick-exit page"))).toContain("Not valid."),
      );
      type(within(form).getByLabelText("Quick-exit page"), "https://weather.example/lahore");
      fireEvent.click(within(form).getByLabelText("Enabled"));
      fireEvent.click(within(form).getByRole("button", { name: "Save" }));
      await waitFor(() => expect(sent(app, "PUT", "/api/admin/partners/drf")).toHaveLength(1));
      expect(sent(app, "PUT", "/api/admin/partners/drf")[0]?.body).toEqual({
        name: "Digital Rights Foundation",
        allowedOrigins: ["https://drf.example"],
        exitUrl: "https://weather.example/lahore",
        defaultLanguage: "ur",
        enabled: false,
      });
      await waitFor(() =>
        expect(card(/Digital Rights Foundation/).textContent).toContain(
          "Allowed origins: https://drf.example",
        ),
      );

      fireEvent.click(within(card(/Old/)).getByRole("button", { name: "Delete" }));
      await confirmDelete("Old <Site>");
      await waitFor(() => expect(screen.queryByRole("heading", { name: /Old/, level: 3 })).toBeNull());
      expect(sent(app, "DELETE", "/api/admin/partners/old-site")).toHaveLength(1);
    });
  });
});
