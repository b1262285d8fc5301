import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { WrapupInput } from "../../server/db/stats-types.ts";
import { ABANDON_BUCKETS, type ServiceEvent, SERVICE_COUNTERS } from "../../shared/stats/service-level.ts";
import { COMPLEMENTARY, RARE, SMALL } from "../../shared/stats/suppression.ts";
import { consoleScreen, ct } from "../support/browser-console.ts";
import { consoleFixture } from "../support/browser-desk.ts";
import { needService } from "../support/services.ts";
import { wrapupInput } from "../support/wrapup-input.ts";

/**
 * Statistics with "Hide small counts" on (the default): a hidden count gets no percentage beside
 * it. "Difficult conversations <5 (4%)" of 100 conversations said the count was exactly 4.
 */
const run = await needService("chromium");

const wrapup = (difficult: boolean, over: Partial<WrapupInput> = {}): WrapupInput =>
  wrapupInput({
    at: Date.now() - 60 * 60_000,
    timeZone: "UTC",
    durationMs: 20 * 60_000,
    language: "en",
    difficult,
    ...over,
  });

/** The screen's table for each CSV dimension, and the catalogue prefix of its row labels. */
const TABLES = {
  platform: ["stats.byPlatform", "platform"],
  caller_type: ["stats.byCallerType", "caller"],
  partner: ["stats.byPartner", null],
  language: ["stats.byLanguage", "language"],
  region: ["stats.byRegion", "region"],
  gender: ["stats.byGender", "gender"],
  duration: ["stats.byDuration", "duration"],
  referral: ["stats.byReferral", "referralCategory"],
  harassment_type: ["stats.byHarassmentType", "harassment"],
  outcome: ["stats.byOutcome", "outcome"],
} as const;

const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

/** A chart's figure (its table alternative included, open or not) by its caption. */
const chart = (page: Page, caption: string) =>
  page.locator("figure.chart").filter({ has: page.locator("figcaption", { hasText: exactly(caption) }) });

/** The count cell of a chart's table row, by the row's label. */
const cell = (page: Page, caption: string, label: string) =>
  chart(page, caption)
    .locator("tbody tr")
    .filter({ has: page.locator("th", { hasText: exactly(label) }) })
    .locator("td");

function rowLabel(prefix: string | null, value: string): string {
  if (value === RARE) return ct("stats.rare");
  if (value === "unknown") return ct("stats.unknown");
  return prefix === null ? value : ct(`${prefix}.${value}` as Parameters<typeof ct>[0]);
}

describe.runIf(run)("console statistics", () => {
  const fx = consoleFixture();

  it("shows no percentage next to a hidden count, and shows it once counts are not hidden", async () => {
    const helpline = await fx.start();
    for (let i = 0; i < 100; i++) await helpline.instance.repos.stats.record(wrapup(i < 4));
    const { page } = await fx.adminDesk();
    await consoleScreen(page, "#/stats");
    const difficult = page
      .locator(".summary div")
      .filter({ hasText: ct("stats.difficult") })
      .locator("dd");
    await expect.poll(() => difficult.textContent(), { timeout: 30_000 }).toBe("<5");
    await page.getByLabel(ct("stats.hideSmall")).uncheck();
    await expect.poll(() => difficult.textContent()).toBe("4 (4%)");
  });

  it("with small counts hidden, shows no cell the CSV suppresses, and labels days with dates", async () => {
    const helpline = await fx.start();
    // By platform 30 + 6 + 2: the 2 is pooled as rare and the 6 hidden with it (30 + 6 + 2 = 38).
    const platforms = [
      ...Array(30).fill("whatsapp"),
      ...Array(6).fill("facebook"),
      ...Array(2).fill("tiktok"),
    ];
    for (const [i, platform] of platforms.entries()) {
      await helpline.instance.repos.stats.record(
        wrapup(i < 3, { platform, callerType: i % 4 === 0 ? "family" : "self", followUp: i < 9 }),
      );
    }
    const { page } = await fx.adminDesk();
    await consoleScreen(page, "#/stats");
    const total = page
      .locator(".summary div")
      .filter({ hasText: ct("stats.total") })
      .locator("dd");
    await expect.poll(() => total.textContent(), { timeout: 30_000 }).toBe("38");

    const href = await page.getByRole("link", { name: ct("stats.csv") }).getAttribute("href");
    const csv = await page.evaluate(
      async (url) => (await fetch(url ?? "", { credentials: "same-origin" })).text(),
      href,
    );
    const rows = csv
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",").map((f) => JSON.parse(f) as string));
    const hidden = rows.filter(([, , , count]) => count === SMALL || count === COMPLEMENTARY);
    expect(hidden.some(([, dim, value]) => dim === "platform" && value === "facebook")).toBe(true);
    let checked = 0;
    for (const [, dimension, value, count] of hidden) {
      const expected = count === SMALL ? SMALL : ct("stats.suppressed");
      if (dimension === "difficult" || dimension === "follow_up") {
        if (value !== "yes") continue;
        const term = dimension === "difficult" ? ct("stats.difficult") : ct("stats.followUp");
        const dd = page.locator(".summary div").filter({ hasText: term }).locator("dd");
        expect(await dd.textContent()).toBe(expected);
        checked++;
        continue;
      }
      const table = TABLES[dimension as keyof typeof TABLES];
      if (table === undefined) continue;
      const [caption, prefix] = table;
      expect(
        await cell(page, ct(caption), rowLabel(prefix, value ?? "")).textContent(),
        `${dimension}/${value}`,
      ).toBe(expected);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    // Visible figures match the CSV too: nothing on screen is finer than what it publishes.
    expect(await cell(page, ct("stats.byPlatform"), ct("platform.whatsapp")).textContent()).toBe("30");
    // Neither the contact summary nor the service level shows a share beside a hidden count.
    const summaries = await page.locator(".summary").allTextContents();
    expect(summaries).toHaveLength(2);
    for (const text of summaries) expect(text).not.toMatch(/<5\s*\(|suppressed\s*\(/);

    // Per-day labels are dates as people write them, in the table and under the chart.
    const days = chart(page, ct("stats.perDay"));
    const labels = await days.locator("tbody th").allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(28);
    for (const label of labels) {
      expect(label).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(label).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    }
    const axis = await days.locator(".chart-axis li").allTextContents();
    expect(axis[0]).toBe(labels[0]);
    expect(axis.at(-1)).toBe(labels.at(-1));
    await days.getByText(ct("stats.asTable")).click();
    await expect.poll(() => days.locator("table").isVisible()).toBe(true);
  });

  it("shows service level and monthly growth beside the contacts, as the CSV publishes them", async () => {
    const helpline = await fx.start();
    const { repos } = helpline.instance;
    const { timeZone } = await repos.settings.get();
    const now = Date.now();
    const count = async (event: ServiceEvent, times: number, at = now - 60 * 60_000) => {
      for (let i = 0; i < times; i++) await repos.service.count(event, at, timeZone);
    };
    await count({ type: "offered" }, 12);
    await count({ type: "answered", waitMs: 20_000 }, 6);
    await count({ type: "answered", waitMs: 4 * 60_000 }, 3);
    await count({ type: "abandoned", waitMs: 2 * 60_000 }, 3);
    await count({ type: "quick-exit" }, 2);
    await count({ type: "refused", reason: "closed" }, 7);
    await count({ type: "refused", reason: "full" }, 1);
    // Ten contacts in the middle of last month, fifteen this month: +50%.
    const today = new Date(now);
    const lastMonth = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 15, 6);
    for (let i = 0; i < 10; i++) await repos.stats.record(wrapup(false, { at: lastMonth }));
    for (let i = 0; i < 15; i++) await repos.stats.record(wrapup(false, { at: now - 60 * 60_000 }));

    const { page } = await fx.adminDesk();
    await consoleScreen(page, "#/stats");
    const service = page.locator("section.service");
    const figure = (key: Parameters<typeof ct>[0]) =>
      service
        .locator(".summary div")
        .filter({ has: page.locator("dt", { hasText: exactly(ct(key)) }) })
        .locator("dd");
    await expect.poll(() => figure("stats.offered").textContent(), { timeout: 30_000 }).toBe("12");
    // From the first day of last month, so both months are in the range.
    const from = new Date(lastMonth).toISOString().slice(0, 8) + "01";
    await page.getByLabel(ct("stats.from")).fill(from);
    const months = chart(page, ct("stats.perMonth"));
    await expect.poll(() => months.locator("tbody tr").count(), { timeout: 30_000 }).toBe(2);
    const thisMonth = months.locator("tbody tr").nth(1);
    expect(await thisMonth.locator("th").textContent()).toContain("+50%");
    expect(await thisMonth.locator("td").textContent()).toBe("15");

    // Hide small counts (the default): every figure reads as the CSV's row for the same range.
    const href = await page.getByRole("link", { name: ct("stats.csv") }).getAttribute("href");
    expect(href).toContain(`from=${from}`);
    const csv = await page.evaluate(
      async (url) => (await fetch(url ?? "", { credentials: "same-origin" })).text(),
      href,
    );
    const published = new Map(
      csv
        .trim()
        .split("\r\n")
        .slice(1)
        .map((line) => line.split(",").map((f) => JSON.parse(f) as string))
        .map(([, dimension, value, count]) => [`${dimension}/${value}`, count ?? ""]),
    );
    const shown = (count: string | undefined) => (count === COMPLEMENTARY ? ct("stats.suppressed") : count);
    const terms = {
      offered: "stats.offered",
      answered: "stats.answered",
      abandoned: "stats.abandoned",
      quick_exit: "stats.quickExits",
      refused_closed: "stats.refusedClosed",
      refused_full: "stats.refusedFull",
    } as const;
    expect(published.get("service/offered")).toBe("12");
    expect(published.get("service/refused_full")).toBe(SMALL);
    for (const counter of SERVICE_COUNTERS) {
      const text = (await figure(terms[counter]).textContent()) ?? "";
      expect(text.replace(/ \(\d+%\)$/, ""), counter).toBe(shown(published.get(`service/${counter}`)));
    }
    // 12 offered, 9 answered, 3 abandoned: the 3 would give the 9 away, so both are hidden.
    expect(await figure("stats.answered").textContent()).toBe(ct("stats.suppressed"));
    expect(await figure("stats.waitP50").textContent()).toBe(ct("stats.suppressed"));
    for (const bucket of ABANDON_BUCKETS) {
      const label = ct(`abandonWait.${bucket}` as Parameters<typeof ct>[0]);
      expect(await cell(page, ct("stats.abandonedByWait"), label).textContent(), bucket).toBe(
        shown(published.get(`abandoned_wait/${bucket}`)),
      );
    }

    // The closed-hours heatmap: a picture with a name, and its table one real click away.
    const closed = chart(page, ct("stats.closedHeatmap"));
    expect(await closed.locator("svg[role=img]").getAttribute("aria-labelledby")).toBeTruthy();
    await closed.getByText(ct("stats.asTable")).click();
    await expect.poll(() => closed.locator("table").isVisible()).toBe(true);
    expect(await closed.locator("tbody").textContent()).toContain("7");

    // Exact figures once revealed: answered with its share, waits as ranges.
    await page.getByLabel(ct("stats.hideSmall")).uncheck();
    await expect.poll(() => figure("stats.answered").textContent()).toBe("9 (75%)");
    expect(await figure("stats.waitP50").textContent()).toBe(ct("wait.<30s" as Parameters<typeof ct>[0]));
    expect(await figure("stats.waitP90").textContent()).toBe(ct("wait.3-5m" as Parameters<typeof ct>[0]));
    expect(await figure("stats.refusedFull").textContent()).toBe("1");
  });
});
