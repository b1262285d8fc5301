import { useId } from "preact/hooks";
import { useT } from "../i18n/i18n-context.tsx";
import { type Bar, countLabel } from "../state/stats-view.ts";

/**
 * A small SVG bar chart (horizontal bars for categories, vertical for time series) with its
 * data as a table alongside for screen readers and for copying figures. No inline styles:
 * geometry is in attributes, colours in the stylesheet.
 */
type Props = Readonly<{
  title: string;
  bars: readonly Bar[];
  label: (key: string) => string;
  vertical?: boolean;
}>;

export function BarChart({ title, bars, label, vertical }: Props) {
  const t = useT();
  const titleId = useId();
  const max = Math.max(1, ...bars.map((b) => b.count.value));
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
            const h = (b.count.value / max) * 96;
            return (
              <rect
                key={b.key}
                x={i * 10 + 1}
                y={100 - h}
                width={8}
                height={h}
                class={b.count.suppressed ? "bar suppressed" : "bar"}
              >
                <title>{`${label(b.key)}: ${countLabel(b.count)}`}</title>
              </rect>
            );
          })}
        </svg>
      ) : (
        <svg role="img" aria-labelledby={titleId} viewBox={`0 0 560 ${bars.length * 22}`} class="chart-svg">
          <title>{title}</title>
          {bars.map((b, i) => {
            const w = (b.count.value / max) * 300;
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
                  class={b.count.suppressed ? "bar suppressed" : "bar"}
                />
                <text x={214 + w} y={i * 22 + 15} class="chart-value">
                  {countLabel(b.count)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
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
                  <td>{countLabel(b.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </figure>
  );
}
