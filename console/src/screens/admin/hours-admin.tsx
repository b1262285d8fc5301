import { useState } from "preact/hooks";
import { type Hours, TimeZoneSchema } from "../../../../shared/protocol/http/index.ts";
import { TextField } from "../../components/field.tsx";
import { useServices } from "../../components/services.tsx";
import { useLoad } from "../../components/use-load.ts";
import { useI18n, useT } from "../../i18n/i18n-context.tsx";
import { calendarDate } from "../../state/dates.ts";
import type { ErrorCode } from "../../state/errors.ts";
import { fieldErrors } from "../../state/form-errors.ts";
import {
  addHoliday,
  addRange,
  copyToAllDays,
  dayErrors,
  removeHoliday,
  removeRange,
  scheduleValid,
  setRange,
} from "../../state/hours-form.ts";

/** An IANA zone name the schema accepts and this browser knows (the server checks its own list). */
function knownTimeZone(zone: string): boolean {
  if (Object.keys(fieldErrors(TimeZoneSchema, zone)).length > 0) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Opening hours per weekday (several ranges allowed), holidays and the helpline's time zone. */
export function HoursAdmin() {
  const t = useT();
  const { language } = useI18n();
  const { api } = useServices();
  const loaded = useLoad(() => api.hours());
  const [draft, setDraft] = useState<Hours | null>(null);
  const [holiday, setHoliday] = useState({ date: "", label: "" });
  const [status, setStatus] = useState<ErrorCode | "saved" | null>(null);
  const [zoneRefused, setZoneRefused] = useState(false);
  if (loaded.state.type === "loading") return <p>{t("common.loading")}</p>;
  if (loaded.state.type === "error") return <p class="error">{t(`error.${loaded.state.error}`)}</p>;
  const hours = draft ?? loaded.state.value;
  const edit = (next: Hours) => {
    setDraft(next);
    setStatus(null);
  };

  return (
    <form
      aria-labelledby="hours-title"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!scheduleValid(hours.schedule)) return;
        if (!knownTimeZone(hours.timeZone)) {
          setZoneRefused(true);
          return;
        }
        const r = await api.saveHours(hours);
        if (r.ok) {
          loaded.set(r.value);
          setDraft(null);
        }
        setStatus(r.ok ? "saved" : r.error);
      }}
    >
      <h2 id="hours-title">{t("admin.hours")}</h2>
      <TextField
        label={t("hours.timeZone")}
        hint={t("hours.timeZoneHint")}
        value={hours.timeZone}
        error={zoneRefused ? t("fieldError.invalid") : null}
        onInput={(v) => {
          setZoneRefused(false);
          edit({ ...hours, timeZone: v.trim() });
        }}
      />
      <table>
        <caption>{t("hours.weekly")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("hours.day")}</th>
            <th scope="col">{t("hours.ranges")}</th>
            <th scope="col">{t("queue.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {hours.schedule.map((ranges, weekday) => {
            const errors = dayErrors(ranges);
            const day = t(`weekday.${weekday as 0 | 1 | 2 | 3 | 4 | 5 | 6}`);
            return (
              <tr key={weekday}>
                <th scope="row">{day}</th>
                <td>
                  {ranges.length === 0 ? <span>{t("hours.closed")}</span> : null}
                  {ranges.map((r, i) => {
                    const id = `range-${weekday}-${i}`;
                    const problem = errors[i];
                    return (
                      <div class="range" key={i}>
                        <label for={`${id}-open`}>{t("hours.opens")}</label>
                        <input
                          id={`${id}-open`}
                          type="time"
                          value={r.open}
                          aria-invalid={problem !== null}
                          aria-describedby={problem ? `${id}-error` : undefined}
                          onInput={(e) =>
                            edit({
                              ...hours,
                              schedule: setRange(hours.schedule, weekday, i, {
                                ...r,
                                open: e.currentTarget.value,
                              }),
                            })
                          }
                        />
                        <label for={`${id}-close`}>{t("hours.closes")}</label>
                        <input
                          id={`${id}-close`}
                          type="time"
                          value={r.close === "24:00" ? "23:59" : r.close}
                          aria-invalid={problem !== null}
                          aria-describedby={problem ? `${id}-error` : undefined}
                          onInput={(e) =>
                            edit({
                              ...hours,
                              schedule: setRange(hours.schedule, weekday, i, {
                                ...r,
                                close: e.currentTarget.value,
                              }),
                            })
                          }
                        />
                        <button
                          type="button"
                          onClick={() =>
                            edit({ ...hours, schedule: removeRange(hours.schedule, weekday, i) })
                          }
                        >
                          {t("common.remove")}
                        </button>
                        {problem ? (
                          <span class="error" id={`${id}-error`}>
                            {t(`hoursError.${problem}`)}
                          </span>
                        ) : null}
                      </div>
                    );
                  })}
                </td>
                <td class="row-actions">
                  <button
                    type="button"
                    onClick={() => edit({ ...hours, schedule: addRange(hours.schedule, weekday) })}
                  >
                    {t("hours.addRange")}
                  </button>
                  <button
                    type="button"
                    onClick={() => edit({ ...hours, schedule: copyToAllDays(hours.schedule, weekday) })}
                  >
                    {t("hours.copyAll")}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <fieldset>
        <legend>{t("hours.holidays")}</legend>
        <ul>
          {hours.holidays.map((h) => (
            <li key={h.date}>
              <time dateTime={h.date}>{calendarDate(h.date, language)}</time> {h.label}{" "}
              <button type="button" onClick={() => edit(removeHoliday(hours, h.date))}>
                {t("common.remove")}
              </button>
            </li>
          ))}
        </ul>
        <div class="grid-3">
          <TextField
            label={t("hours.date")}
            type="date"
            value={holiday.date}
            onInput={(v) => setHoliday({ ...holiday, date: v })}
          />
          <TextField
            label={t("hours.label")}
            value={holiday.label}
            onInput={(v) => setHoliday({ ...holiday, label: v })}
          />
          <button
            type="button"
            disabled={!/^\d{4}-\d{2}-\d{2}$/.test(holiday.date)}
            onClick={() => {
              edit(addHoliday(hours, { date: holiday.date, label: holiday.label.trim() }));
              setHoliday({ date: "", label: "" });
            }}
          >
            {t("hours.addHoliday")}
          </button>
        </div>
      </fieldset>
      {status ? (
        <p class={status === "saved" ? "notice" : "error"} role="status">
          {status === "saved" ? t("common.saved") : t(`error.${status}`)}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={!scheduleValid(hours.schedule)}>
        {t("common.save")}
      </button>
    </form>
  );
}
