import { useEffect, useMemo, useState } from "preact/hooks";
import type { StatsResponse } from "../../../shared/protocol/http/index.ts";
import { statsCsvHref } from "../adapters/api.ts";
import { BarChart } from "../components/bar-chart.tsx";
import { TextField } from "../components/field.tsx";
import { Heatmap } from "../components/heatmap.tsx";
import { useServices } from "../components/services.tsx";
import type { MessageKey } from "../i18n/en.ts";
import { useI18n } from "../i18n/i18n-context.tsx";
import { calendarDate } from "../state/dates.ts";
import type { ErrorCode } from "../state/errors.ts";
import { MonthChart, ServiceSection } from "./service-section.tsx";
import {
  countLabel,
  type DisplayCount,
  defaultRange,
  RARE,
  type ScreenDimension,
  shareOf,
  statsView,
  todayIn,
} from "../state/stats-view.ts";
import { ErrorAlert } from "../components/error-alert.tsx";

/** Catalogue prefix for each dimension's keys (null: show the key as is, e.g. partner ids). */
const DIMENSIONS: readonly (readonly [ScreenDimension, MessageKey, string | null])[] = [
  ["byHarassmentType", "stats.byHarassmentType", "harassment"],
  ["byPlatform", "stats.byPlatform", "platform"],
  ["byCallerType", "stats.byCallerType", "caller"],
  ["byPartner", "stats.byPartner", null],
  ["byLanguage", "stats.byLanguage", "language"],
  ["byRegion", "stats.byRegion", "region"],
  ["byGender", "stats.byGender", "gender"],
  ["byReferral", "stats.byReferral", "referralCategory"],
  ["byOutcome", "stats.byOutcome", "outcome"],
  ["byDuration", "stats.byDuration", "duration"],
];

/** Anonymous statistics from wrap-up forms and the relay's service figures: charts with tables,
 * and the CSV export. */
export function StatsScreen(
  props: Readonly<{
    /** Today where the console runs: the first range, until the helpline's own day is known. */
    today: string;
    initial?: StatsResponse;
    /** With a clock, the default range follows the helpline's time zone from the first answer. */
    now?: () => number;
  }>,
) {
  const { t, language } = useI18n();
  const { api } = useServices();
  const [range, setRangeState] = useState(defaultRange(props.today));
  const [touched, setTouched] = useState(false);
  const setRange = (next: Readonly<{ from: string; to: string }>) => {
    setTouched(true);
    setRangeState(next);
  };
  const [hideSmall, setHideSmall] = useState(true);
  const [stats, setStats] = useState<StatsResponse | null>(props.initial ?? null);
  const [error, setError] = useState<ErrorCode | null>(null);
  useEffect(() => {
    let live = true;
    void api.stats(range.from, range.to).then((r) => {
      if (!live) return;
      if (r.ok) setStats(r.value);
      setError(r.ok ? null : r.error);
      // The reporting day is the helpline's (its time zone), not the browser's.
      if (r.ok && !touched && props.now) {
        const today = todayIn(r.value.timeZone, props.now());
        if (today !== range.to) setRangeState(defaultRange(today));
      }
    });
    return () => {
      live = false;
    };
  }, [api, range.from, range.to]);

  const label = (prefix: string | null) => (key: string) => {
    if (key === RARE) return t("stats.rare");
    if (prefix === null) return key;
    const k = `${prefix}.${key}` as MessageKey;
    return key === "unknown" ? t("stats.unknown") : (t(k) ?? key);
  };

  const view = useMemo(() => (stats ? statsView(stats, hideSmall) : null), [stats, hideSmall]);
  const word = t("stats.suppressed");
  const withShare = (count: DisplayCount, total: DisplayCount) => {
    const share = shareOf(count, total);
    return `${countLabel(count, word)}${share === null ? "" : ` (${share}%)`}`;
  };

  return (
    <main class="page stats" aria-labelledby="stats-title">
      <h1 id="stats-title">{t("stats.title")}</h1>
      <div class="toolbar">
        <TextField
          label={t("stats.from")}
          type="date"
          value={range.from}
          onInput={(v) => v && setRange({ ...range, from: v })}
        />
        <TextField
          label={t("stats.to")}
          type="date"
          value={range.to}
          onInput={(v) => v && setRange({ ...range, to: v })}
        />
        <label class="checkbox">
          <input
            type="checkbox"
            checked={hideSmall}
            onChange={(e) => setHideSmall(e.currentTarget.checked)}
          />
          {t("stats.hideSmall")}
        </label>
        <a class="button" href={statsCsvHref(range.from, range.to)} download>
          {t("stats.csv")}
        </a>
      </div>
      <p class="hint">{t("stats.suppressionNote")}</p>
      <ErrorAlert error={error} />
      {view && stats ? (
        <>
          {view.withheld ? <p class="hint">{t("stats.withheld")}</p> : null}
          <dl class="summary">
            <div>
              <dt>{t("stats.total")}</dt>
              <dd>{countLabel(view.total, word)}</dd>
            </div>
            <div>
              <dt>{t("stats.difficult")}</dt>
              <dd>{withShare(view.difficult, view.total)}</dd>
            </div>
            <div>
              <dt>{t("stats.followUp")}</dt>
              <dd>{withShare(view.followUp, view.total)}</dd>
            </div>
          </dl>
          <ServiceSection service={stats.service} range={stats} hideSmall={hideSmall} />
          <div class="charts">
            <BarChart
              title={t("stats.perDay")}
              bars={view.perDay}
              label={(k) => calendarDate(k, language)}
              vertical
            />
            <BarChart title={t("stats.perWeek")} bars={view.perWeek} label={(k) => k} />
            <MonthChart months={view.perMonth} />
            {DIMENSIONS.map(([dim, title, prefix]) => (
              <BarChart key={dim} title={t(title)} bars={view.dimensions[dim]} label={label(prefix)} />
            ))}
            <Heatmap title={t("stats.heatmap")} cells={view.heatmap} />
          </div>
        </>
      ) : null}
    </main>
  );
}
