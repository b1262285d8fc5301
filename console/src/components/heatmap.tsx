import { useId } from "preact/hooks";
import { useT } from "../i18n/i18n-context.tsx";
import { countLabel, type HeatCell } from "../state/stats-view.ts";

type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Hour of day × weekday, for staffing; shades come from classes (heat-0 … heat-4; a hidden
 * count gets heat-hidden, one look for every hidden cell). */
export function Heatmap(props: Readonly<{ title: string; cells: readonly (readonly HeatCell[])[] }>) {
  const t = useT();
  const titleId = useId();
  return (
    <figure class="chart">
      <figcaption id={titleId}>{props.title}</figcaption>
      <svg role="img" aria-labelledby={titleId} viewBox="0 0 520 170" class="chart-svg heatmap">
        <title>{props.title}</title>
        {props.cells.map((row, weekday) => (
          <g key={weekday}>
            <text x={0} y={weekday * 22 + 30} class="chart-label">
              {t(`weekdayShort.${weekday as Weekday}`)}
            </text>
            {row.map((cell) => (
              <rect
                key={cell.hour}
                x={40 + cell.hour * 20}
                y={weekday * 22 + 16}
                width={18}
                height={20}
                class={cell.count.hidden === null ? `heat-${cell.level}` : "heat-hidden"}
              >
                <title>{`${t(`weekday.${weekday as Weekday}`)} ${String(cell.hour).padStart(2, "0")}:00 — ${countLabel(cell.count, t("stats.suppressed"))}`}</title>
              </rect>
            ))}
          </g>
        ))}
        {Array.from({ length: 24 }, (_, h) =>
          h % 3 === 0 ? (
            <text key={h} x={40 + h * 20} y={10} class="chart-label">
              {String(h).padStart(2, "0")}
            </text>
          ) : null,
        )}
      </svg>
      <details>
        <summary>{t("stats.asTable")}</summary>
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("hours.day")}</th>
                {Array.from({ length: 24 }, (_, h) => (
                  <th scope="col" key={h}>
                    {String(h).padStart(2, "0")}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.cells.map((row, weekday) => (
                <tr key={weekday}>
                  <th scope="row">{t(`weekday.${weekday as Weekday}`)}</th>
                  {row.map((cell) => (
                    <td key={cell.hour}>{countLabel(cell.count, t("stats.suppressed"))}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
