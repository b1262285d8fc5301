import type { ServiceResponse } from "../../../shared/protocol/http/index.ts";
import { BarChart } from "../components/bar-chart.tsx";
import { Heatmap } from "../components/heatmap.tsx";
import type { MessageKey } from "../i18n/en.ts";
import { useI18n } from "../i18n/i18n-context.tsx";
import { calendarDate, calendarMonth } from "../state/dates.ts";
import { dailyWaits, serviceView, type WaitFigure } from "../state/service-view.ts";
import { countLabel, type MonthBar } from "../state/stats-view.ts";

/** Whether people got through: beside the contact figures, with the same "Hide small counts". */
export function ServiceSection(
  props: Readonly<{
    service: ServiceResponse;
    range: Readonly<{ from: string; to: string }>;
    hideSmall: boolean;
  }>,
) {
  const { t, language } = useI18n();
  const view = serviceView(props.service, props.hideSmall);
  const word = t("stats.suppressed");
  const wait = (w: WaitFigure) =>
    w.hidden ? word : w.bucket === null ? t("stats.noWaits") : t(`wait.${w.bucket}` as MessageKey);
  const row = (label: MessageKey, value: string) => (
    <div>
      <dt>{t(label)}</dt>
      <dd>{value}</dd>
    </div>
  );
  const c = view.counters;
  return (
    <section class="service" aria-labelledby="service-title">
      <h2 id="service-title">{t("stats.service")}</h2>
      <p class="hint">{t("stats.serviceNote")}</p>
      <dl class="summary">
        {row("stats.offered", countLabel(c.offered, word))}
        {row(
          "stats.answered",
          `${countLabel(c.answered, word)}${view.answeredShare === null ? "" : ` (${view.answeredShare}%)`}`,
        )}
        {row("stats.waitP50", wait(view.p50))}
        {row("stats.waitP90", wait(view.p90))}
        {row("stats.abandoned", countLabel(c.abandoned, word))}
        {row("stats.quickExits", countLabel(c.quick_exit, word))}
        {row("stats.refusedClosed", countLabel(c.refused_closed, word))}
        {row("stats.refusedFull", countLabel(c.refused_full, word))}
      </dl>
      <div class="charts">
        <BarChart
          title={t("stats.abandonedByWait")}
          bars={view.abandoned}
          label={(k) => t(`abandonWait.${k}` as MessageKey)}
        />
        <Heatmap title={t("stats.closedHeatmap")} cells={view.closed} />
      </div>
      <details class="daily-waits">
        <summary>{t("stats.waitsPerDay")}</summary>
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{t("stats.waitsPerDay")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("hours.day")}</th>
                <th scope="col">{t("stats.answered")}</th>
                <th scope="col">{t("stats.waitP50")}</th>
                <th scope="col">{t("stats.waitP90")}</th>
              </tr>
            </thead>
            <tbody>
              {dailyWaits(props.service, props.range, props.hideSmall).map((d) => (
                <tr key={d.day}>
                  <th scope="row">{calendarDate(d.day, language)}</th>
                  <td>{countLabel(d.answered, word)}</td>
                  <td>{wait(d.p50)}</td>
                  <td>{wait(d.p90)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

/** Contacts per month; each label carries the growth over the month before when both are shown. */
export function MonthChart(props: Readonly<{ months: readonly MonthBar[] }>) {
  const { t, language } = useI18n();
  const growth = new Map(props.months.map((m) => [m.key, m.growth]));
  const label = (key: string) => {
    const g = growth.get(key);
    const month = calendarMonth(key, language);
    if (g === null || g === undefined) return month;
    return `${month} (${t("stats.growth", { percent: `${g > 0 ? "+" : ""}${g}` })})`;
  };
  return <BarChart title={t("stats.perMonth")} bars={props.months} label={label} vertical />;
}
