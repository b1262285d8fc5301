import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyCertificate, verifyRevocationList } from "../../../../shared/crypto/index.ts";
import type { StatsResponse } from "../../../../shared/protocol/http/index.ts";
import { assembleSigned, encodeCertificateBody } from "../../../../shared/protocol/certificate.ts";
import { encodeBase64url } from "../../../../console/src/crypto/base64url.ts";
import { emptyService } from "../../../../console/src/state/service-view.ts";
import { bytes, loggedInAt, member, NOW, adminScreenTests } from "../support/app-harness.tsx";
import { inProcessCrypto } from "../support/fakes.ts";

describe("administration screens", () => {
  const amina = adminScreenTests();
  let bilalKey: string;
  let carlaKey: string;
  beforeAll(async () => {
    const other = inProcessCrypto(() => NOW);
    const bilal = await other.call({
      type: "create-enrollment",
      salt: new Uint8Array(16).fill(7),
      username: "bilal",
      password: "bilal's long passphrase",
    });
    const carla = await other.call({
      type: "create-enrollment",
      salt: new Uint8Array(16).fill(7),
      username: "carla",
      password: "carla's long passphrase",
    });
    if (!bilal.ok || !carla.ok) throw new Error("enrollment");
    const { encodeBase64url } = await import("../../../../console/src/crypto/base64url.ts");
    bilalKey = encodeBase64url(bilal.value.identityPublicKey);
    carlaKey = encodeBase64url(carla.value.identityPublicKey);
  });

  it("staff: certifies with the org key, revokes with a signed list, and shows an invite code once", async () => {
    const posted: Record<string, unknown> = {};
    const staff = [
      member({
        id: "amina-id" as never,
        username: "amina",
        displayName: "Amina",
        role: "admin",
        identityPublicKey: amina().identityPublicKey,
      }),
      member({
        id: "bilal-id" as never,
        username: "bilal",
        displayName: "Bilal",
        state: "enrolled",
        identityPublicKey: bilalKey,
      }),
      member({
        id: "carla-id" as never,
        username: "carla",
        displayName: "Carla",
        identityPublicKey: carlaKey,
      }),
    ];
    await loggedInAt(amina(), "#/admin/staff", {
      "GET /api/admin/staff": { status: 200, body: { staff } },
      "POST /api/admin/staff/bilal-id/certificate": (body) => {
        posted.certify = body;
        return { status: 200, body: staff[1] };
      },
      "POST /api/admin/revocations": (body) => {
        posted.revoke = body;
        return { status: 204 };
      },
      "POST /api/admin/staff": (body) => {
        posted.invite = body;
        return {
          status: 201,
          body: { staffId: "dina-id", inviteCode: "K3Y-ONCE-8812", expiresAt: NOW + 86_400_000 },
        };
      },
    });
    const table = await screen.findByRole("table", { name: "Staff" });
    const bilalRow = within(table).getByRole("row", { name: /Bilal/ });
    expect(within(bilalRow).getByText("Waiting for certification")).toBeTruthy();
    fireEvent.click(within(bilalRow).getByRole("button", { name: "Certify" }));
    await waitFor(() => expect(posted.certify).toBeDefined());
    const cert = verifyCertificate(
      bytes((posted.certify as { certificate: string }).certificate),
      bytes(amina().orgPublicKey),
      NOW,
    );
    if (!cert.ok) throw new Error(cert.error);
    expect(cert.value.body).toMatchObject({ staffId: "bilal-id", displayName: "Bilal", role: "counselor" });
    expect(cert.value.body.subjectPublicKey).toEqual(bytes(bilalKey));

    const carlaRow = within(table).getByRole("row", { name: /Carla/ });
    fireEvent.click(within(carlaRow).getByRole("button", { name: "Revoke" }));
    const confirm = await screen.findByRole("dialog", { name: "Revoke this key?" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(posted.revoke).toBeDefined());
    const list = verifyRevocationList(
      bytes((posted.revoke as { list: string }).list),
      bytes(amina().orgPublicKey),
      NOW,
    );
    if (!list.ok) throw new Error(list.error);
    expect(list.value.revokedKeys).toEqual([bytes(carlaKey)]);

    fireEvent.input(
      screen.getByLabelText("Username", { selector: "form[aria-labelledby=invite-title] input" }),
      { target: { value: "Dina" } },
    );
    fireEvent.input(
      screen.getByLabelText("Name shown to visitors", {
        selector: "form[aria-labelledby=invite-title] input",
      }),
      {
        target: { value: "Dina" },
      },
    );
    fireEvent.click(screen.getByRole("button", { name: "Create invite" }));
    const codeDialog = await screen.findByRole("dialog", { name: "One-time invite code" });
    expect(within(codeDialog).getByText("K3Y-ONCE-8812")).toBeTruthy();
    expect(posted.invite).toEqual({ username: "dina", displayName: "Dina", role: "counselor" });
    fireEvent.click(within(codeDialog).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByText("K3Y-ONCE-8812")).toBeNull());
  });

  it("staff: sets the languages each member counsels in (default every language), never none", async () => {
    const patches: unknown[] = [];
    const staff = [
      member({ id: "amina-id" as never, username: "amina", displayName: "Amina", role: "admin" }),
      member({ id: "bilal-id" as never, username: "bilal", displayName: "Bilal", languages: ["ur"] }),
    ];
    await loggedInAt(amina(), "#/admin/staff", {
      "GET /api/admin/staff": { status: 200, body: { staff } },
      "PATCH /api/admin/staff/amina-id": (body) => {
        patches.push(["amina", body]);
        return { status: 200, body: { ...staff[0], languages: ["ur"] } };
      },
      "PATCH /api/admin/staff/bilal-id": (body) => {
        patches.push(["bilal", body]);
        return { status: 200, body: { ...staff[1], languages: null } };
      },
    });
    const table = await screen.findByRole("table", { name: "Staff" });
    const aminaLanguages = within(table).getByRole("group", { name: "Languages Amina counsels in" });
    const bilalLanguages = within(table).getByRole("group", { name: "Languages Bilal counsels in" });
    // Default: every language ticked.
    expect(
      (within(aminaLanguages).getByRole("checkbox", { name: "English" }) as HTMLInputElement).checked,
    ).toBe(true);
    expect((within(aminaLanguages).getByRole("checkbox", { name: "Urdu" }) as HTMLInputElement).checked).toBe(
      true,
    );
    expect(
      (within(bilalLanguages).getByRole("checkbox", { name: "English" }) as HTMLInputElement).checked,
    ).toBe(false);
    // Unticking English leaves Urdu only.
    fireEvent.click(within(aminaLanguages).getByRole("checkbox", { name: "English" }));
    await waitFor(() => expect(patches).toEqual([["amina", { languages: ["ur"] }]]));
    // Bilal's only language cannot be unticked: nothing is sent and it stays ticked.
    const bilalUrdu = within(bilalLanguages).getByRole("checkbox", { name: "Urdu" }) as HTMLInputElement;
    fireEvent.click(bilalUrdu);
    expect(bilalUrdu.checked).toBe(true);
    // Ticking English too means every language again: sent as the default (null).
    fireEvent.click(within(bilalLanguages).getByRole("checkbox", { name: "English" }));
    await waitFor(() => expect(patches).toContainEqual(["bilal", { languages: null }]));
    expect(patches).toHaveLength(2);
  });

  it("staff: shows how long each certificate is valid and asks for renewal within a week", async () => {
    const DAY = 86_400_000;
    const cert = (notAfter: number) => {
      const body = encodeCertificateBody({
        orgPublicKey: bytes(amina().orgPublicKey),
        role: "counselor",
        subjectPublicKey: bytes(carlaKey),
        notBefore: NOW - 30 * DAY,
        notAfter,
        staffId: "carla-id" as never,
        displayName: "Carla",
      });
      if (!body.ok) throw new Error(body.error);
      return encodeBase64url(assembleSigned(body.value, new Uint8Array(64)));
    };
    const staff = [
      member({
        id: "f-id" as never,
        username: "farah",
        displayName: "Farah",
        certificate: cert(NOW + 20 * DAY),
      }),
      member({
        id: "c-id" as never,
        username: "carla",
        displayName: "Carla",
        certificate: cert(NOW + 3 * DAY),
      }),
      member({ id: "d-id" as never, username: "dina", displayName: "Dina", certificate: cert(NOW - DAY) }),
    ];
    await loggedInAt(amina(), "#/admin/staff", { "GET /api/admin/staff": { status: 200, body: { staff } } });
    const table = await screen.findByRole("table", { name: "Staff" });
    const row = (name: RegExp) => within(table).getByRole("row", { name }).textContent ?? "";
    expect(row(/Farah/)).toContain("valid until");
    expect(row(/Farah/)).not.toContain("expires in");
    expect(row(/Carla/)).toContain("expires in 3 days");
    expect(row(/Dina/)).toContain("expired");
    expect(screen.getByText(/2 certificates expire within a week or have expired/)).toBeTruthy();
  });

  it("statistics: charts with table alternatives, small counts shown as <5 until revealed, CSV link", async () => {
    const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    heatmap[1]![10] = 12;
    heatmap[3]![15] = 2;
    const stats: StatsResponse = {
      from: "2026-10-30",
      to: "2026-11-28",
      total: 160,
      difficult: 24,
      perDay: [{ day: "2026-11-27", count: 9 }],
      perWeek: [{ week: "2026-W48", count: 40 }],
      byPlatform: [
        { key: "whatsapp", count: 150 },
        { key: "facebook", count: 8 },
        { key: "tiktok", count: 2 },
      ],
      byHarassmentType: [
        { key: "blackmail", count: 50 },
        { key: "non-consensual-images", count: 30 },
      ],
      byOutcome: [
        { key: "advice", count: 90 },
        { key: "cyber-crime-wing", count: 3 },
      ],
      followUp: 16,
      byCallerType: [
        { key: "self", count: 100 },
        { key: "family", count: 60 },
      ],
      byRegion: [{ key: "unknown", count: 150 }],
      byGender: [],
      byReferral: [],
      byPartner: [{ key: "drf", count: 160 }],
      byLanguage: [{ key: "ur", count: 120 }],
      byDuration: [],
      heatmap,
      timeZone: "Asia/Karachi",
      service: emptyService(),
    };
    await loggedInAt(amina(), "#/stats", { "GET /api/admin/stats": { status: 200, body: stats } });
    await screen.findByRole("heading", { name: "Statistics" });
    const platform = await screen.findByRole("table", { name: "By platform" });
    // Seen fewer than 5 times in the range: pooled, as in the CSV.
    expect(within(platform).queryByRole("row", { name: /TikTok/ })).toBeNull();
    expect(within(platform).getByRole("row", { name: /Others/ }).textContent).toContain("<5");
    expect(within(platform).getByRole("row", { name: /WhatsApp/ }).textContent).toContain("150");
    // 160 - 150 - 8 would give the pooled 2 away: Facebook is hidden too, as in the CSV.
    expect(within(platform).getByRole("row", { name: /Facebook/ }).textContent).toContain("suppressed");
    expect(screen.getByRole("img", { name: "By platform" })).toBeTruthy();
    const heat = screen.getByRole("table", { name: "Contacts by weekday and hour" });
    expect(within(heat).getByRole("row", { name: /Wednesday/ }).textContent).toContain("<5");

    fireEvent.click(screen.getByLabelText("Hide small counts"));
    await waitFor(() =>
      expect(
        within(screen.getByRole("table", { name: "By platform" })).getByRole("row", { name: /TikTok/ })
          .textContent,
      ).toContain("2"),
    );
    const csv = screen.getByRole("link", { name: "Export CSV" });
    expect(csv.getAttribute("href")).toBe("/api/admin/stats.csv?from=2026-10-30&to=2026-11-28");
    expect(screen.getByText("24 (15%)")).toBeTruthy();
    expect(screen.getByText("Follow-up advised", { selector: "dt" }).nextElementSibling?.textContent).toBe(
      "16 (10%)",
    );
    const outcomes = screen.getByRole("table", { name: "Outcomes" });
    expect(within(outcomes).getByRole("row", { name: /Advice given/ }).textContent).toContain("90");
    expect(within(outcomes).getByRole("row", { name: /cyber-crime wing/ }).textContent).toContain("3");
  });

  it("statistics: no share beside a hidden count, the CSV's withholding, and dated days", async () => {
    const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    heatmap[2]![11] = 100;
    const body = (total: number, difficult: number, followUp: number): StatsResponse => ({
      from: "2026-11-25",
      to: "2026-11-28",
      total,
      difficult,
      perDay: [{ day: "2026-11-27", count: total }],
      perWeek: [{ week: "2026-W48", count: total }],
      byPlatform: [{ key: "whatsapp", count: total }],
      byHarassmentType: [{ key: "blackmail", count: total }],
      byOutcome: [],
      followUp,
      byCallerType: [{ key: "self", count: total }],
      byRegion: [{ key: "unknown", count: total }],
      byGender: [{ key: "unknown", count: total }],
      byReferral: [],
      byPartner: [{ key: "drf", count: total }],
      byLanguage: [{ key: "ur", count: total }],
      byDuration: [{ key: "10-30m", count: total }],
      heatmap,
      timeZone: "UTC",
      service: emptyService(),
    });
    const summary = (term: string) =>
      screen.getByText(term, { selector: "dt" }).nextElementSibling?.textContent ?? "";
    await loggedInAt(amina(), "#/stats", { "GET /api/admin/stats": { status: 200, body: body(100, 4, 50) } });
    await screen.findByRole("heading", { name: "Statistics" });
    await waitFor(() => expect(summary("Contacts")).toBe("100"));
    // "<5 (4%)" of 100 would say 4.
    expect(summary("Difficult conversations")).toBe("<5");
    expect(summary("Follow-up advised")).toBe("50 (50%)");
    expect(document.querySelector(".summary")?.textContent).not.toMatch(/<5\s*\(/);
    // Days read as dates, in the table and under the chart, never as ISO strings.
    const days = screen.getByRole("table", { name: "Contacts per day" });
    expect(within(days).getByRole("row", { name: /27 November 2026/ }).textContent).toContain("100");
    expect(within(days).getByRole("row", { name: /25 November 2026/ }).textContent).toContain("<5");
    expect(days.textContent).not.toContain("2026-11");
    const axis = document.querySelector(".chart-axis");
    expect(axis?.textContent).toContain("25 November 2026");
    expect(axis?.textContent).toContain("28 November 2026");
    // A hidden day's bar has one fixed length, whatever the count.
    const bars = [
      ...screen.getByRole("img", { name: "Contacts per day" }).querySelectorAll("rect.bar.suppressed"),
    ].map((r) => r.getAttribute("height"));
    expect(new Set(bars.filter((h) => h !== null)).size).toBe(1);
    cleanup();
    location.hash = "";

    // 4 difficult + 4 not: any hiding leaves both pinned, so the CSV withholds the period; so does the screen.
    await loggedInAt(amina(), "#/stats", { "GET /api/admin/stats": { status: 200, body: body(8, 4, 0) } });
    await screen.findByText(/These figures are withheld/);
    expect(summary("Contacts")).toBe("suppressed");
    expect(summary("Difficult conversations")).toBe("suppressed");
    const withheldDays = screen.getByRole("table", { name: "Contacts per day" });
    const cells = [...withheldDays.querySelectorAll("td")].map((td) => td.textContent);
    expect(cells.length).toBe(4);
    expect(cells.every((c) => c === "suppressed")).toBe(true);
    expect(within(withheldDays).getByRole("row", { name: /27 November 2026/ }).textContent).toContain(
      "suppressed",
    );
  });

  it("statistics: the default range ends on the helpline's today, in its time zone", async () => {
    // 12:00 UTC on 28 November is already 29 November in Kiritimati (UTC+14).
    const empty = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    const body: StatsResponse = {
      from: "2026-10-30",
      to: "2026-11-28",
      total: 0,
      difficult: 0,
      perDay: [],
      perWeek: [],
      byPlatform: [],
      byHarassmentType: [],
      byOutcome: [],
      followUp: 0,
      byCallerType: [],
      byRegion: [],
      byGender: [],
      byReferral: [],
      byPartner: [],
      byLanguage: [],
      byDuration: [],
      heatmap: empty,
      timeZone: "Pacific/Kiritimati",
      service: emptyService(),
    };
    await loggedInAt(amina(), "#/stats", { "GET /api/admin/stats": { status: 200, body } });
    await screen.findByRole("heading", { name: "Statistics" });
    await waitFor(() =>
      expect(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toBe(
        "/api/admin/stats.csv?from=2026-10-31&to=2026-11-29",
      ),
    );
  });
});
