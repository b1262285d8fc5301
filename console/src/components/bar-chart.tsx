import { useId } from "preact/hooks";
import { useT } from "../i18n/i18n-context.tsx";
import { type Bar, countLabel } from "../state/stats-view.ts";

/**
 * A small SVG bar chart (horizontal bars for categories, vertical for time series) with its
 * data as a table alongside for screen readers and for copying figures. No inline styles:
 * geometry is in attributes, colours in the stylesheet. A hidden count is drawn as a short stub
 * of the same length whatever the count (and the scale comes from visible bars only), so no
 * bar's length gives a hidden count away. Vertical charts name their first, middle and last
 * bars under the axis.
 */
type Props = Readonly<{
  title: string;
  bars: readonly Bar[];
  label: (key: string) => string;
  vertical?: boolean;
}>;

/** Length of a hidden count's bar, in chart units: the same for every hidden count. */
const HIDDEN_STUB = 4;

export function BarChart({ title, bars, label, vertical }: Props) {
  const t = useT();
  const titleId = useId();
  const word = t("stats.suppressed");
  const text = (b: Bar) => countLabel(b.count, word);
  const max = Math.max(1, ...bars.filter((b) => b.count.hidden === null).map((b) => b.count.value));
  const ticks = vertical ? [...new Set([0, Math.floor((bars.length - 1) / 2), bars.length - 1])] : [];
  return (
    <figure class="chart">
      <figcaption id={titleId}>{title}</figcaption>
      {bars.length === 0 ? (
        <p class="empty">{t("stats.noData")}</p>
      ) : vertical ? (
        <svg
          role="img"
          aria-labelledby={titleId}
          viewBox={`0 0 ${bars.length * 10} 100`}
          preserveAspectRatio="none"
          class="chart-svg"
        >
          <title>{title}</title>
          {bars.map((b, i) => {
            const h = b.count.hidden === null ? (b.count.value / max) * 96 : HIDDEN_STUB;
            return (
              <rect
                key={b.key}
                x={i * 10 + 1}
                y={100 - h}
                width={8}
                height={h}
                class={b.count.hidden === null ? "bar" : "bar suppressed"}
              >
                <title>{`${label(b.key)}: ${text(b)}`}</title>
              </rect>
            );
          })}
        </svg>
      ) : (
        <svg role="img" aria-labelledby={titleId} viewBox={`0 0 560 ${bars.length * 22}`} class="chart-svg">
          <title>{title}</title>
          {bars.map((b, i) => {
            const w = b.count.hidden === null ? (b.count.value / max) * 300 : HIDDEN_STUB;
            return (
              <g key={b.key}>
                <text x={0} y={i * 22 + 15} class="chart-label">
                  {label(b.key)}
                </text>
                <rect
                  x={210}
                  y={i * 22 + 4}
                  width={w}
                  height={14}
                  class={b.count.hidden === null ? "bar" : "bar suppressed"}
                />
                <text x={214 + w} y={i * 22 + 15} class="chart-value">
                  {text(b)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      {ticks.length > 0 && bars.length > 0 ? (
        <ol class="chart-axis" aria-hidden="true">
          {ticks.map((i) => (
            <li key={i}>{label(bars[i]?.key ?? "")}</li>
          ))}
        </ol>
      ) : null}
      {bars.length > 0 ? (
        <details>
          <summary>{t("stats.asTable")}</summary>
          <table>
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("stats.category")}</th>
                <th scope="col">{t("stats.count")}</th>
              </tr>
            </thead>
            <tbody>
              {bars.map((b) => (
                <tr key={b.key}>
                  <th scope="row">{label(b.key)}</th>
                  <td>{text(b)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </figure>
  );
}
