import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";
import { formatDay, formatInstant, weekdayNames } from "../hours/format.ts";
import { formatMinutes, scheduleToWeek, shiftWeek, type Week } from "../hours/week.ts";
import { zoneOffsetMinutes } from "../hours/zone-offset.ts";
import type { Catalogue } from "../i18n/catalogue.ts";

type Props = Readonly<{
  t: Catalogue;
  language: Language;
  config: WidgetConfig;
  now: number;
  localOffset: number;
}>;

/** Opening hours in the helpline's time and (when different) the survivor's, and holidays. */
export function OpeningHours({ t, language, config, now, localOffset }: Props) {
  const helplineOffset = zoneOffsetMinutes(config.timeZone, now);
  const week = scheduleToWeek(config.hours);
  const sameZone = helplineOffset === null || helplineOffset === localOffset;
  const yours = sameZone ? week : shiftWeek(week, localOffset - helplineOffset);
  const days = weekdayNames(language);
  const describe = (w: Week, day: number) =>
    w[day]?.length
      ? w[day].map((r) => `${formatMinutes(r.start)}–${formatMinutes(r.end)}`).join(", ")
      : t.hoursClosedDay;
  return (
    <>
      <h2>{t.hoursTitle}</h2>
      {config.nextOpening !== null && (
        <p>
          {t.nextOpening(
            formatInstant(config.nextOpening, language, config.timeZone),
            formatInstant(config.nextOpening, language),
          )}
        </p>
      )}
      <table class="hours">
        <thead>
          <tr>
            <td />
            <th scope="col">{t.hoursHelpline(config.timeZone)}</th>
            {!sameZone && <th scope="col">{t.hoursYours}</th>}
          </tr>
        </thead>
        <tbody>
          {days.map((name, day) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td dir="ltr">{describe(week, day)}</td>
              {!sameZone && <td dir="ltr">{describe(yours, day)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {sameZone && <p class="muted">{t.hoursSameZone}</p>}
      {config.holidays.length > 0 && (
        <>
          <h2>{t.holidaysTitle}</h2>
          <ul>
            {config.holidays.map((holiday) => (
              <li key={holiday.date}>
                <time dateTime={holiday.date}>{formatDay(holiday.date, language)}</time>: {holiday.label}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
